"""Helpers the workloads use to run units: a bounded local pool, and a crashed unit's outcome.
The Ray connection is benchrun.raycluster's."""
from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable, Iterable

from benchrun.engine.units import RunContext, Unit, UnitOutcome


def failure(unit: Unit, err: BaseException) -> UnitOutcome:
    """A unit that raised: failed, with the error and the last lines of its traceback."""
    tail = "".join(traceback.format_exception(err)[-3:]).strip()
    return UnitOutcome(unit_id=unit.id, status="failed", error=f"{type(err).__name__}: {err}\n{tail}")


# A crash of benchrun's own code in a unit may be a race that does not recur: try again
# once before reporting the unit as failed.
CRASH_TRIES = 2


def _attempt(work: Callable[[Unit], UnitOutcome], unit: Unit, tries: int) -> UnitOutcome:
    for attempt in range(1, tries + 1):
        try:
            return work(unit)
        except Exception as err:  # a crash in one unit must not end the others
            if attempt == tries:
                return failure(unit, err)
            logging.getLogger(__name__).warning("unit %s crashed (try %d of %d): %s", unit.id, attempt, tries, err)
    raise AssertionError("unreachable")


def run_pool(
    units: Iterable[Unit],
    work: Callable[[Unit], UnitOutcome],
    ctx: RunContext,
    report: Callable[[UnitOutcome], None],
    concurrency: int | None = None,
    tries: int = CRASH_TRIES,
) -> None:
    """Run `work(unit)` on up to `concurrency` threads, reporting each outcome.

    After `ctx.stop` is set no new unit starts; units already running finish and are
    reported. A unit whose `work` raises is tried again, up to `tries` times in all,
    then reported as failed. The threads are daemons, so a second Ctrl-C
    (KeyboardInterrupt in the caller) can leave without them."""
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
            report(_attempt(work, unit, tries))

    threads = [threading.Thread(target=worker, name=f"benchrun-unit-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)  # short slices: the main thread keeps handling signals
