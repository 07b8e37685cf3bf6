"""The run loop: a plan in, every unit's outcome in the results file out.

Resume is by unit id: a unit whose id has a "done" row anywhere in the file is not run
again, because the id is a hash of everything that decides its result (so an edited
spec re-runs exactly the units the edit changed). `fresh=True` runs every unit anew; the
new outcomes then supersede the old ones in the views.

Ctrl-C or SIGTERM sets `ctx.stop`: no new unit starts, running ones finish and are
recorded, the run is marked interrupted. A second Ctrl-C stops at once. Either way the
next run of the same plan resumes.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import logging
import os
import signal
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import attrs
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from benchrun.engine.plan import HOLDOUT, Plan
from benchrun.engine.units import CODEGEN, TRIAL, RunContext, Unit, UnitOutcome
from benchrun.reports.store import RunLock, Store, now, params_json
from benchrun.reports.writer import BatchWriter, WriteFailed

log = logging.getLogger(__name__)

# kind -> "module:Class"; imported only when a plan has units of that kind.
WORKLOADS: dict[str, str] = {
    CODEGEN: "benchrun.codegen.workload:CodegenWorkload",
    TRIAL: "benchrun.tuning.workload:TuneWorkload",
    HOLDOUT: "benchrun.tuning.holdout:HoldoutWorkload",  # after the trials: kinds run in plan order
}
# Extra or replacement workloads, "kind=module:Class,...": lets an end-to-end test run
# `benchrun run` on a spec with a stand-in workload in a real subprocess.
WORKLOADS_ENV = "BENCHRUN_WORKLOADS"


class RunError(Exception):
    """A run that cannot start; the message says why."""


@attrs.define
class RunSummary:
    run_id: str
    status: str  # finished, interrupted, failed
    db_path: str
    planned: int
    skipped: int  # already done in this file before the run
    done: int
    failed: int
    not_run: int  # left for the next run (interrupted, fail-fast, or finished but not written)
    seconds: float
    blocks: dict[str, Counter] = attrs.Factory(dict)  # per block: planned/skipped/done/failed
    error: str | None = None
    unwritten: int = 0  # finished, but their results could not be written (they count in not_run)


def benchrun_version() -> str:
    try:
        return importlib.metadata.version("benchrun")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def new_run_id() -> str:
    return f"r-{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(2).hex()}"


# ---------------------------------------------------------------- workloads


def workload_targets(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    targets: dict[str, Any] = dict(WORKLOADS)
    for item in filter(None, os.environ.get(WORKLOADS_ENV, "").split(",")):
        kind, _, target = item.partition("=")
        targets[kind.strip()] = target.strip()
    targets.update(overrides or {})
    return targets


def load_workload(kind: str, target: Any) -> Any:
    """`target`: "module:Class", a class, or a ready workload object."""
    if isinstance(target, str):
        module, _, name = target.partition(":")
        try:
            target = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            raise RunError(f"cannot load the {kind!r} workload {module}:{name}: {err}") from None
    return target() if isinstance(target, type) else target


# ---------------------------------------------------------------- progress and signals


class _Tracker:
    """Counts outcomes and drives the progress bar (silent when not on a terminal)."""

    def __init__(self, total: int, label: str):
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not self.console.is_terminal,
        )
        self.task = self.progress.add_task(label, total=total, failed=0, rate="")

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.progress.update(self.task, advance=1, failed=self.failed, rate=f"{rate:.2f} units/s")

    def __enter__(self) -> "_Tracker":
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()


@contextlib.contextmanager
def _stop_on_signals(ctx: RunContext, on_first: Callable[[], None]) -> Iterator[None]:
    """First SIGINT/SIGTERM: set ctx.stop. Second: KeyboardInterrupt, stop now."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum, frame):
        if ctx.stop.is_set():
            raise KeyboardInterrupt
        ctx.stop.set()
        on_first()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# ---------------------------------------------------------------- the loop


def run_plan(
    plan: Plan,
    db_path: str | os.PathLike,
    *,
    fresh: bool = False,
    fail_fast: bool = False,
    use_cache: bool = True,
    concurrency: int | None = None,
    workloads: Mapping[str, Any] | None = None,
    flush_interval: float = 1.0,
    writer_options: Mapping[str, Any] | None = None,
) -> RunSummary:
    """Run the units of `plan` not yet done in `db_path`, recording every outcome.

    Raises RunLockedError when another run holds the file, RunError when a workload
    cannot be loaded, StoreError when the file is unusable."""
    db_path = str(db_path)
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    with RunLock(db_path):
        store = Store(db_path)
        targets = workload_targets(workloads)
        kinds = list(dict.fromkeys(u.kind for u in plan.units))
        missing = [k for k in kinds if k not in targets]
        if missing:
            raise RunError(f"no workload runs units of kind {', '.join(missing)}")
        runners = {kind: load_workload(kind, targets[kind]) for kind in kinds}

        run_id = new_run_id()
        skipped, attempts = store.open_run(
            run_id,
            list(plan.units),
            fresh=fresh,
            spec_path=getattr(plan.spec, "path", None),
            spec_hash=getattr(plan.spec, "content_hash", None),
            version=benchrun_version(),
        )
        todo = [u for u in plan.units if u.id not in skipped]
        return _execute(plan, todo, skipped, attempts, store, run_id, runners, fail_fast, use_cache, concurrency,
                        flush_interval, writer_options)


def _execute(plan, todo, skipped, attempts, store, run_id, runners, fail_fast, use_cache, concurrency, flush_interval,
             writer_options) -> RunSummary:
    started = time.monotonic()
    state = {"signal": False, "first_failure": None, "write_error": None}

    def writer_gave_up(err: BaseException) -> None:  # stop starting units whose results would be lost
        state["write_error"] = err
        ctx.stop.set()

    writer = BatchWriter(store, run_id, interval=flush_interval, on_failure=writer_gave_up, **(writer_options or {}))
    ctx = RunContext(
        run_id=run_id,
        spec=plan.spec,
        concurrency=concurrency or 0,  # 0: each block's own setting decides
        log_metrics=writer.log_metrics,
        fail_fast=fail_fast,
        use_cache=use_cache,
        store=store,
    )
    by_id = {u.id: u for u in todo}
    reported: dict[str, str] = {}
    lock = threading.Lock()
    tracker = _Tracker(len(todo), run_id)
    if skipped:
        tracker.console.print(f"resuming: {len(skipped)} of {len(plan.units)} units already done in {store.path}")

    def report(outcome: UnitOutcome) -> None:
        unit = by_id.get(outcome.unit_id)
        status = outcome.status if outcome.status in ("done", "failed") else "failed"
        with lock:
            if unit is None or unit.id in reported:
                log.warning("ignoring an outcome for unit %s (unknown or reported twice)", outcome.unit_id)
                return
            reported[unit.id] = status
        error = outcome.error if outcome.status == status else f"unknown status {outcome.status!r}: {outcome.error}"
        row = {
            "run_id": run_id,
            "unit_id": unit.id,
            "kind": unit.kind,
            "block": unit.block,
            "params": params_json(unit.params),
            "status": status,
            "attempts": attempts.get(unit.id, 0) + 1,
            "error": error,
            "finished": now(),
            "summary": params_json(outcome.summary) if outcome.summary else None,
        }
        try:
            writer.record_unit(row, [{"block": unit.block, **s} for s in outcome.samples])
        except ValueError as err:  # a workload bug: keep the unit, without its rows
            status = row["status"] = "failed"
            row["error"] = f"the {unit.kind} workload reported a bad sample: {err}"
            writer.record_unit(row, [])
            reported[unit.id] = status
        tracker.advance(failed=status == "failed")
        if status == "failed" and fail_fast and state["first_failure"] is None:
            state["first_failure"] = f"unit {unit.id} failed: {error}"
            ctx.stop.set()

    def on_signal() -> None:
        state["signal"] = True
        tracker.console.print("stopping: running units finish and are kept (Ctrl-C again to stop now)")

    status, error = "finished", None
    with _stop_on_signals(ctx, on_signal), tracker:
        try:
            for kind, runner in runners.items():
                units = [u for u in todo if u.kind == kind]
                if units and not ctx.stop.is_set():
                    runner.run(units, ctx, report)
        except KeyboardInterrupt:
            ctx.stop.set()
            state["signal"] = True
        except Exception as err:
            status, error = "failed", "".join(traceback.format_exception(err))
    with lock:  # late reports from abandoned threads are not counted any more
        by_id.clear()
    try:
        writer.close()
        write_error = state["write_error"] and (
            f"writing results failed, so the run stopped early: {state['write_error']}; every finished unit "
            "was written in the end: run the same command again to run the rest")
    except WriteFailed as err:
        write_error = str(err)
    unwritten = {u for u in reported if u not in writer.written_units}
    for unit_id in unwritten:  # not in the file: they run again on resume
        reported.pop(unit_id)
    counts = Counter(reported.values())
    if status == "failed":  # the workload crashed
        error = "\n".join(filter(None, [error, write_error]))
    else:
        status, error = _final_status(state, write_error, ctx.stop.is_set(), len(todo) - len(reported),
                                      counts["failed"], counts["done"])
    try:
        store.finish_run(run_id, status, error)
    except Exception as err:  # the file is unusable now; the next run marks this one interrupted
        error = f"{error or ''}\n(the run's status could not be recorded: {err})".strip()
    return RunSummary(
        run_id=run_id,
        status=status,
        db_path=store.path,
        planned=len(plan.units),
        skipped=len(skipped),
        done=counts["done"],
        failed=counts["failed"],
        not_run=len(todo) - len(reported),
        unwritten=len(unwritten),
        seconds=time.monotonic() - started,
        blocks=_block_counts(plan.units, skipped, reported),
        error=error,
    )


def _final_status(state: dict, write_error: str | None, stopped: bool, not_run: int, failed: int,
                  done: int) -> tuple[str, str | None]:
    """finished: every unit of the plan is done. incomplete: the loop ended but some units
    could not run (they run again on resume). interrupted: stopped by a signal."""
    if write_error:
        return "failed", write_error
    if state["signal"]:
        return "interrupted", None
    if state["first_failure"]:
        return "failed", state["first_failure"]
    if stopped:
        return "interrupted", None
    if not_run:
        return "failed", f"the workloads returned without reporting {not_run} units"
    if failed and not done:  # nothing ran: "incomplete" would hide a setup that cannot work
        return "failed", f"every unit that ran failed ({failed}); see the error column of units"
    if failed:
        return "incomplete", f"{failed} units could not run (see `benchrun report failures`); run the same command again to retry them"
    return "finished", None


def _block_counts(units: tuple[Unit, ...], skipped: set[str], reported: dict[str, str]) -> dict[str, Counter]:
    blocks: dict[str, Counter] = {}
    for unit in units:
        counts = blocks.setdefault(unit.block, Counter())
        counts["planned"] += 1
        counts["skipped" if unit.id in skipped else reported.get(unit.id, "not_run")] += 1
    return blocks
