"""Helpers the workloads use to run units: a bounded local pool and the Ray connection."""
from __future__ import annotations

import logging
import queue
import threading
import traceback
from typing import Callable, Iterable

from benchrun.engine.units import RunContext, Unit, UnitOutcome


def failure(unit: Unit, err: BaseException) -> UnitOutcome:
    """A unit that raised: failed, with the error and the last lines of its traceback."""
    tail = "".join(traceback.format_exception(err)[-3:]).strip()
    return UnitOutcome(unit_id=unit.id, status="failed", error=f"{type(err).__name__}: {err}\n{tail}")


def run_pool(
    units: Iterable[Unit],
    work: Callable[[Unit], UnitOutcome],
    ctx: RunContext,
    report: Callable[[UnitOutcome], None],
    concurrency: int | None = None,
) -> None:
    """Run `work(unit)` on up to `concurrency` threads, reporting each outcome.

    After `ctx.stop` is set no new unit starts; units already running finish and are
    reported. A unit whose `work` raises is reported as failed. The threads are daemons,
    so a second Ctrl-C (KeyboardInterrupt in the caller) can leave without them."""
    pending: queue.SimpleQueue[Unit] = queue.SimpleQueue()
    count = 0
    for unit in units:
        pending.put(unit)
        count += 1
    workers = max(1, min(concurrency or ctx.concurrency or 1, count))

    def worker() -> None:
        while not ctx.stop.is_set():
            try:
                unit = pending.get_nowait()
            except queue.Empty:
                return
            try:
                outcome = work(unit)
            except Exception as err:  # a crash in one unit must not end the others
                outcome = failure(unit, err)
            report(outcome)

    threads = [threading.Thread(target=worker, name=f"benchrun-unit-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)  # short slices: the main thread keeps handling signals


def ensure_ray(address: str | None = None, num_cpus: int | None = None):
    """Connect to Ray once per process: a cluster at `address` ("auto" for the local
    one), else a fresh local Ray with `num_cpus` CPUs. Returns the `ray` module."""
    import ray

    if ray.is_initialized():
        return ray
    options = dict(include_dashboard=False, logging_level=logging.WARNING, configure_logging=True)
    if address:
        ray.init(address=address, **options)
    else:
        ray.init(num_cpus=num_cpus, **options)
    return ray
