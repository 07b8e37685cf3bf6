"""System metrics of the process running a trial, sampled at each evaluation.

Three cheap reads of /proc per sample (CPU times, memory, load average), so sampling
stays far below 1% of a trial's time even when evaluations are frequent (see
bench/tuning_overhead.py).

Two memory figures, both RSS - shared of the process running the trial:
`worker_memory_mb` is that figure whole, the thesis's definition, which counts what the
worker holds besides the trial (interpreter, scikit-learn, Ray's runtime, the data set)
and so depends on the executor and on what the worker ran before; `memory_mb` is the
trial's own share, as follows.

`memory_mb` is the trial's own memory: the process's RSS minus its shared pages (the
thesis's RSS - SHR: shared libraries and data mapped from files or shared memory, such
as Ray's object store, are not the trial's), less the same figure just before the trial
started. Subtracting that baseline is what makes the figure depend on the trial only:
the interpreter, scikit-learn, Ray's own runtime in a Ray worker and data sets already
loaded are in the baseline, whichever executor runs the trial. Before the baseline is
taken, the heap a previous trial in the same worker left behind is handed back to the
system (`settle_heap`), so it is not counted against this trial either.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import time
from functools import lru_cache

import psutil

MB = 1 << 20
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameter numbers
THRESHOLD = 128 * 1024  # glibc's default for both, made fixed


@lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (OSError, AttributeError):
        return None


def fix_malloc() -> None:
    """Make freed arrays leave the process, whatever ran before.

    glibc raises its mmap and trim thresholds after large frees: after one large array,
    the next ones come from the heap and stay resident when freed, so a trial's figure
    would depend on what the process did before. Fixed thresholds keep every large
    array in its own mapping, unmapped when freed. Call it when a worker starts, before
    it allocates data: heap space freed before it is called is reused afterwards."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, THRESHOLD)


def settle_heap() -> None:
    """Free what earlier trials left: collect garbage and return free heap pages."""
    gc.collect()
    fix_malloc()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def private_mb(process: psutil.Process) -> float:
    """RSS - shared of a process, in MiB."""
    memory = process.memory_info()
    return (memory.rss - memory.shared) / MB


def load_average() -> float:
    """The machine's 1-minute load average: how many processes wanted a CPU, on average.
    Above the number of CPUs, a process waits for one, and wall-clock figures stretch."""
    return os.getloadavg()[0]


class SystemSampler:
    """CPU % since the previous sample, CPU seconds since the first, the trial's memory
    and its worker's whole memory in MiB (see the module's docstring), and the machine's
    load. Create it when the trial starts."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        settle_heap()
        self.baseline_mb = private_mb(self._process)
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
        worker = private_mb(self._process)
        return {
            "cpu_pct": cpu_pct,
            "cpu_time_s": cpu - self._start_cpu,
            # not below zero: a trial that frees a page the baseline held used none of its own
            "memory_mb": max(0.0, worker - self.baseline_mb),
            "worker_memory_mb": worker,
            "load_avg": load_average(),
        }
