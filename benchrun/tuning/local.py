"""The local executor: trials in a pool of worker processes, no Ray.

Workers come from a fork server that has already imported the trial code, so they start
in milliseconds with a clean memory footprint (what the sampler measures is the trial's,
not the parent's). Each worker streams its results through one queue; the driver thread
logs them, so every metric reaches `ctx.log_metrics` from the driver process. Stop rules
run inside the trial (`TrialRules`), exactly as `RuleStopper` does under Ray.
"""
from __future__ import annotations

import multiprocessing
import os
import queue as queues
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from threadpoolctl import threadpool_limits

from benchrun.engine.units import RunContext, Unit, UnitOutcome
from benchrun.tuning.rules import TrialRules
from benchrun.tuning.trainable import metric_rows, prepare, run_trial

INTERRUPTED = "interrupted"
_QUEUE = None  # set in each worker by _init_worker
_INTERRUPT = None


def run_local(units: list[Unit], ctx: RunContext, report: Callable[[UnitOutcome], None],
              workers: int, cpus_per_trial: int = 1, cache_dir: str | None = None) -> None:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["benchrun.tuning.local"])
    results, interrupt = context.Queue(), context.Event()
    pending = {unit.id for unit in units}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(results, interrupt, cpus_per_trial)) as pool:
        futures = {pool.submit(_worker_trial, u.id, u.params, cache_dir): u.id for u in units}
        while pending:
            if ctx.stop.is_set() and not interrupt.is_set():
                interrupt.set()  # running trials end at their next evaluation
                for future in futures:
                    future.cancel()
            try:
                kind, unit_id, payload = results.get(timeout=0.2)
            except queues.Empty:
                _report_crashes(futures, pending, report)
                if interrupt.is_set() and all(f.done() for f in futures):
                    break
                continue
            if kind == "result":
                ctx.log_metrics(unit_id, metric_rows(payload))
                continue
            pending.discard(unit_id)
            if kind == "done":
                report(UnitOutcome(unit_id, "done", summary=payload))
            elif kind == "failed":
                report(UnitOutcome(unit_id, "failed", error=payload))
            # INTERRUPTED: not reported, so a resumed run trains it again


def _report_crashes(futures, pending: set[str], report) -> None:
    """A worker that died (killed, out of memory) sends nothing: its future says so."""
    for future, unit_id in futures.items():
        if unit_id in pending and future.done() and not future.cancelled() and future.exception():
            pending.discard(unit_id)
            report(UnitOutcome(unit_id, "failed", error=f"trial worker died: {future.exception()}"))


def _init_worker(results, interrupt, cpus_per_trial: int) -> None:
    global _QUEUE, _INTERRUPT
    _QUEUE, _INTERRUPT = results, interrupt
    # As Ray does for its workers: a trial's BLAS uses its own CPUs only, so parallel
    # trials do not oversubscribe the machine.
    threadpool_limits(cpus_per_trial)
    # Ctrl-C reaches the whole process group; the driver decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_trial(unit_id: str, params: dict[str, Any], cache_dir: str | None) -> None:
    if _INTERRUPT.is_set():
        _QUEUE.put((INTERRUPTED, unit_id, None))
        return
    try:
        data = prepare(params["dataset"], params["split"], params["seed"], cache_dir)
        rules = TrialRules(params["stop"], params.get("metric", "val_loss"), params.get("mode", "min"))

        def on_result(result: dict[str, Any]) -> str | None:
            _QUEUE.put(("result", unit_id, result))
            return INTERRUPTED if _INTERRUPT.is_set() else rules.check(result)

        summary = run_trial(params, data, on_result)
    except Exception as error:  # noqa: BLE001 - the trial's failure is reported; the pool goes on
        _QUEUE.put(("failed", unit_id, f"{type(error).__name__}: {error}"))
        return
    _QUEUE.put((INTERRUPTED if summary["stop_reason"] == INTERRUPTED else "done", unit_id, summary))


def default_workers(cpus_per_trial: float) -> int:
    return max(1, int((os.cpu_count() or 1) // max(cpus_per_trial, 1)))
