"""System metrics of the process running a trial, sampled at each evaluation.

Two cheap reads of /proc per sample (CPU times and memory), so sampling stays far below
1% of a trial's time even when evaluations are frequent (see bench/tuning_overhead.py).
"""
from __future__ import annotations

import time

import psutil

MB = 1 << 20


class SystemSampler:
    """CPU % since the previous sample, CPU seconds since the first, and memory in MB.

    Memory is RSS minus shared pages, as in the thesis: the trial's own working set,
    without shared libraries or data shared through Ray's object store."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._start_cpu = self._last_cpu = self._cpu_seconds()
        self._last_wall = time.perf_counter()

    def _cpu_seconds(self) -> float:
        times = self._process.cpu_times()
        return times.user + times.system

    def sample(self) -> dict[str, float]:
        cpu, wall = self._cpu_seconds(), time.perf_counter()
        elapsed = wall - self._last_wall
        cpu_pct = 100.0 * (cpu - self._last_cpu) / elapsed if elapsed > 0 else 0.0
        self._last_cpu, self._last_wall = cpu, wall
        memory = self._process.memory_info()
        return {
            "cpu_pct": cpu_pct,
            "cpu_time_s": cpu - self._start_cpu,
            "memory_mb": (memory.rss - memory.shared) / MB,
        }
