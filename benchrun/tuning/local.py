"""The local executor: trials in a pool of worker processes, no Ray.

Workers come from a fork server that has already imported the trial code, so they start
in milliseconds with a clean memory footprint (what the sampler measures is the trial's,
not the parent's). Each worker streams its results through one queue; the driver thread
logs them, so every metric reaches `ctx.log_metrics` from the driver process. Stop rules
run inside the trial (`TrialRules`), exactly as `RuleStopper` does under Ray; so does
ASHA, on rungs the workers share through a manager process, and so do the contextual
rules, on a board shared the same way and with a judge on the driver
(benchrun.tuning.stopping.services).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue as queues
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from threadpoolctl import threadpool_limits

from benchrun.engine.units import RunContext, UnitOutcome
from benchrun.tuning.asha import REASON as ASHA
from benchrun.tuning.asha import Asha, problem_of
from benchrun.tuning.feed import Feed
from benchrun.tuning.rules import TrialRules
from benchrun.tuning.sampler import fix_malloc
from benchrun.tuning.stopping.services import WorkerServices, contextual_rules, local_services
from benchrun.tuning.trainable import metric_rows, prepare, run_trial

INTERRUPTED = "interrupted"
_QUEUE = None  # set in each worker by _init_worker
_INTERRUPT = None
_RUNGS = None  # (shared dict, lock) of ASHA's rungs, when the search has a scheduler
_SERVICES = WorkerServices()  # what the contextual stop rules use


def run_local(feed: Feed, ctx: RunContext, report: Callable[[UnitOutcome], None],
              workers: int, cpus_per_trial: int = 1, cache_dir: str | None = None, block: Any = None) -> None:
    """Run the feed's units, at most `workers` at once; a unit starts only when a worker
    is free, so an Optuna study is asked for a configuration when it can be trained."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["benchrun.tuning.local"])
    results, interrupt = context.Queue(), context.Event()
    scheduler = feed.units[0].params["search"].get("scheduler") if feed.units else None
    rule = feed.units[0].params["stop"] if feed.units else None
    with contextlib.ExitStack() as stack:
        # ASHA's rungs and the rules' board are shared by every worker: a manager process holds them.
        manager = stack.enter_context(context.Manager()) if scheduler or contextual_rules(rule) else None
        shared = (manager.dict(), manager.Lock()) if scheduler else None
        services = stack.enter_context(local_services(rule, block, ctx, manager))
        pool = stack.enter_context(ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker,
            initargs=(results, interrupt, cpus_per_trial, shared, services),
        ))
        futures: dict = {}  # future -> unit id
        pending = {unit.id for unit in feed.units}

        def launch() -> None:
            # Units started and not yet ended (by their message: a worker that has sent
            # its outcome is as good as free), at most one per worker.
            while not ctx.stop.is_set() and len(pending & set(futures.values())) < workers:
                started = feed.next()
                if started is None:
                    return
                unit, params = started
                futures[pool.submit(_worker_trial, unit.id, params, cache_dir)] = unit.id

        launch()
        while pending:
            if ctx.stop.is_set() and not interrupt.is_set():
                interrupt.set()  # running trials end at their next evaluation
                for future in futures:
                    future.cancel()
            try:
                kind, unit_id, payload = results.get(timeout=0.2)
            except queues.Empty:
                _report_crashes(futures, pending, feed, report)
                if ctx.stop.is_set() and all(f.done() for f in futures):
                    break
                launch()
                continue
            if kind == "result":
                ctx.log_metrics(unit_id, metric_rows(payload))
                continue
            pending.discard(unit_id)
            if kind == "done":
                feed.finished(unit_id, payload)
                report(UnitOutcome(unit_id, "done", summary=payload))
            elif kind == "failed":
                feed.finished(unit_id, None)
                report(UnitOutcome(unit_id, "failed", error=payload))
            # INTERRUPTED: not reported, so a resumed run trains it again
            launch()


def _report_crashes(futures, pending: set[str], feed: Feed, report) -> None:
    """A worker that died (killed, out of memory) sends nothing: its future says so."""
    for future, unit_id in futures.items():
        if unit_id in pending and future.done() and not future.cancelled() and future.exception():
            pending.discard(unit_id)
            feed.finished(unit_id, None)
            report(UnitOutcome(unit_id, "failed", error=f"trial worker died: {future.exception()}"))


def _init_worker(results, interrupt, cpus_per_trial: int, asha_rungs, services: WorkerServices) -> None:
    global _QUEUE, _INTERRUPT, _RUNGS, _SERVICES
    _QUEUE, _INTERRUPT, _RUNGS, _SERVICES = results, interrupt, asha_rungs, services
    # As Ray does for its workers: a trial's BLAS uses its own CPUs only, so parallel
    # trials do not oversubscribe the machine.
    threadpool_limits(cpus_per_trial)
    fix_malloc()  # before the worker loads any data (see sampler.fix_malloc)
    # Ctrl-C reaches the whole process group; the driver decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_trial(unit_id: str, params: dict[str, Any], cache_dir: str | None) -> None:
    if _INTERRUPT.is_set():
        _QUEUE.put((INTERRUPTED, unit_id, None))
        return
    try:
        data = prepare(params["dataset"], params["split"], params["seed"], cache_dir)
        objective, mode = params.get("metric", "val_loss"), params.get("mode", "min")
        rules = TrialRules(params["stop"], objective, mode, _SERVICES.context(unit_id, params))
        scheduler = params["search"].get("scheduler")
        asha = Asha(scheduler, mode, *_RUNGS) if scheduler else None
        problem, evaluations = problem_of(params), 0

        def on_result(result: dict[str, Any]) -> str | None:
            nonlocal evaluations
            evaluations += 1
            _QUEUE.put(("result", unit_id, result))
            if _INTERRUPT.is_set():
                return INTERRUPTED
            reason = rules.check(result)
            if not reason and asha and not result["finished"] \
                    and asha.decide(unit_id, evaluations, result.get(objective), problem):
                reason = ASHA
            return reason

        summary = run_trial(params, data, on_result)
    except Exception as error:  # noqa: BLE001 - the trial's failure is reported; the pool goes on
        _QUEUE.put(("failed", unit_id, f"{type(error).__name__}: {error}"))
        return
    _QUEUE.put((INTERRUPTED if summary["stop_reason"] == INTERRUPTED else "done", unit_id, summary))


def default_workers(cpus_per_trial: float) -> int:
    return max(1, int((os.cpu_count() or 1) // max(cpus_per_trial, 1)))
