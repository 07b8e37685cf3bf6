"""Helpers the workloads use to run units: a bounded local pool and the Ray connection."""
from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from benchrun.engine.units import RunContext, Unit, UnitOutcome
from benchrun.registry import Flag, Option, Text


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


# The options of every block kind's `executor ray(...)`, declared once.
RESULT_FREE = dict(affects_result=False)
ADDRESS = Option("address", Text(), "a running Ray cluster to join: \"auto\", \"host:port\" of its head or "
                 "\"ray://host:port\" (default: start one here)", **RESULT_FREE)
SHIP_BENCHRUN = Option("ship_benchrun", Flag(), "ship this benchrun to a cluster's workers (false: they have it "
                       "installed)", True, **RESULT_FREE)


def runtime_env(address: str | None, ship_benchrun: bool = True) -> dict | None:
    """The runtime environment of a cluster job: this benchrun package, shipped to every
    worker (`ship_benchrun = false`: the workers must have benchrun installed)."""
    if not address or not ship_benchrun:
        return None
    return {"py_modules": [str(Path(__file__).resolve().parents[1])], "excludes": ["__pycache__", "*.pyc"]}


# What this process's Ray connection was made for by `ensure_ray`: the address asked for
# ("" for a local Ray started here). Empty while Ray was started by someone else.
_CONNECTED: list[str] = []


def ensure_ray(address: str | None = None, num_cpus: int | None = None, runtime_env: dict | None = None):
    """Connect to Ray: the cluster at `address` ("auto" for the one on this machine,
    "ray://host:port" for Ray Client, "host:port" for a head's GCS), else a fresh local
    Ray with `num_cpus` CPUs. Returns the `ray` module.

    A connection is kept while the next call asks for the same thing; a call naming
    another address (or none, after a connection to a cluster) shuts it down and
    connects again, so each tune block runs where its spec says. A Ray started by
    someone else (`ray.init` in a test) is kept for calls without an address.
    `runtime_env` is the job's runtime environment (e.g. `py_modules` shipping benchrun
    to the workers of a cluster)."""
    import ray

    wanted = address or ""
    if ray.is_initialized():
        if _CONNECTED and _CONNECTED[0] == wanted:
            return ray
        if not _CONNECTED and not wanted:
            return ray
        ray.shutdown()
    _CONNECTED.clear()
    options = dict(include_dashboard=False, logging_level=logging.WARNING, configure_logging=True,
                   log_to_driver=False)
    if runtime_env:
        options["runtime_env"] = runtime_env
    if address:
        ray.init(address=address, **options)
    else:
        ray.init(num_cpus=num_cpus, **options)
    _CONNECTED.append(wanted)
    return ray
