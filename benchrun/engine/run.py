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
from benchrun.reports.writer import BatchWriter

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
    not_run: int  # left for the next run (interrupted, fail-fast)
    seconds: float
    blocks: dict[str, Counter] = attrs.Factory(dict)  # per block: planned/skipped/done/failed
    error: str | None = None


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
            [u.id for u in plan.units],
            fresh=fresh,
            spec_path=getattr(plan.spec, "path", None),
            spec_hash=getattr(plan.spec, "content_hash", None),
            version=benchrun_version(),
        )
        todo = [u for u in plan.units if u.id not in skipped]
        return _execute(plan, todo, skipped, attempts, store, run_id, runners, fail_fast, use_cache, concurrency, flush_interval)


def _execute(plan, todo, skipped, attempts, store, run_id, runners, fail_fast, use_cache, concurrency, flush_interval) -> RunSummary:
    started = time.monotonic()
    writer = BatchWriter(store, run_id, interval=flush_interval)
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
    state = {"signal": False, "first_failure": None}
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
        if writer.error is not None:
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
        counts = Counter(reported.values())
        by_id.clear()
    if status == "finished":
        if state["signal"]:
            status = "interrupted"
        elif state["first_failure"]:
            status, error = "failed", state["first_failure"]
        elif writer.error is not None:
            status, error = "failed", f"writing results failed: {writer.error}"
        elif ctx.stop.is_set():
            status = "interrupted"
        elif len(reported) < len(todo):
            status, error = "failed", f"the workloads returned without reporting {len(todo) - len(reported)} units"
        elif counts["failed"] and not counts["done"]:  # nothing ran: a finished run would hide it
            status, error = "failed", f"every unit that ran failed ({counts['failed']}); see the error column of units"
    try:
        writer.close()
    except Exception as err:
        status, error = "failed", f"writing results failed: {err}"
    store.finish_run(run_id, status, error)
    return RunSummary(
        run_id=run_id,
        status=status,
        db_path=store.path,
        planned=len(plan.units),
        skipped=len(skipped),
        done=counts["done"],
        failed=counts["failed"],
        not_run=len(todo) - len(reported),
        seconds=time.monotonic() - started,
        blocks=_block_counts(plan.units, skipped, reported),
        error=error,
    )


def _block_counts(units: tuple[Unit, ...], skipped: set[str], reported: dict[str, str]) -> dict[str, Counter]:
    blocks: dict[str, Counter] = {}
    for unit in units:
        counts = blocks.setdefault(unit.block, Counter())
        counts["planned"] += 1
        counts["skipped" if unit.id in skipped else reported.get(unit.id, "not_run")] += 1
    return blocks
