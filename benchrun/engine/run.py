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
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any, Literal, cast

import attrs
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from benchrun import blocks
from benchrun.engine.plan import Plan
from benchrun.engine.units import RunContext, Unit, UnitOutcome, UnitStatus, Workload
from benchrun.errors import BenchrunError
from benchrun.storage.store import RunLock, Store, params_json
from benchrun.storage.tables import now
from benchrun.storage.writer import BatchWriter, WriteFailed

log = logging.getLogger(__name__)

# A workload as `run_plan` takes it: "module:Class", a class, or a ready workload object.
WorkloadTarget = str | type | Workload[Any]
RunStatus = Literal["finished", "incomplete", "interrupted", "failed"]


class RunError(BenchrunError):
    """A run that cannot start; the message says why."""


@attrs.define
class RunSummary:
    run_id: str
    status: RunStatus
    db_path: str
    planned: int
    skipped: int  # already done in this file before the run
    done: int
    failed: int
    not_run: int  # left for the next run (interrupted, fail-fast, or finished but not written)
    seconds: float
    blocks: dict[str, Counter[str]] = attrs.Factory(dict)  # per block: planned/skipped/done/failed
    error: str | None = None
    unwritten: int = 0  # finished, but their results could not be written (they count in not_run)
    notes: list[str] = attrs.Factory(list)  # the workloads' words to the user (RunContext.notes)


def benchrun_version() -> str:
    try:
        return importlib.metadata.version("benchrun")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def new_run_id() -> str:
    return f"r-{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(2).hex()}"


# ---------------------------------------------------------------- workloads


def workload_targets(overrides: Mapping[str, WorkloadTarget] | None = None) -> dict[str, WorkloadTarget]:
    """unit kind -> its workload: each block kind's (imported only when a plan has units of
    that kind), in their run order, then `overrides` (tests pass theirs here)."""
    targets: dict[str, WorkloadTarget] = dict(blocks.workloads())
    targets.update(overrides or {})
    return targets


def load_workload(kind: str, target: WorkloadTarget) -> Workload[Any]:
    """`target`: "module:Class", a class, or a ready workload object."""
    if isinstance(target, str):
        module, _, name = target.partition(":")
        try:
            target = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            raise RunError(f"cannot load the {kind!r} workload {module}:{name}: {err}") from None
    workload = target() if isinstance(target, type) else target
    if not callable(getattr(workload, "run_block", None)):
        raise RunError(f"the {kind!r} workload {workload!r} has no run_block(block, units, ctx, report) method")
    return cast(Workload[Any], workload)


def groups(units: list[Unit], kinds: list[str]) -> list[tuple[str, str, list[Unit]]]:
    """(block name, unit kind, units): the units of each block, in plan order, and within a
    block by unit kind in `kinds`' order (the block kind's run order)."""
    grouped: dict[tuple[str, str], list[Unit]] = {}
    for unit in units:
        grouped.setdefault((unit.block, unit.kind), []).append(unit)
    order = list(dict.fromkeys(unit.block for unit in units))
    ranked = sorted(grouped, key=lambda key: (order.index(key[0]), kinds.index(key[1])))
    return [(block, kind, grouped[block, kind]) for block, kind in ranked]


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

    def __enter__(self) -> _Tracker:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


@contextlib.contextmanager
def _stop_on_signals(ctx: RunContext, on_first: Callable[[], None]) -> Iterator[None]:
    """First SIGINT/SIGTERM: set ctx.stop. Second: KeyboardInterrupt, stop now."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: FrameType | None) -> None:
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
    db_path: str | os.PathLike[str],
    *,
    fresh: bool = False,
    fail_fast: bool = False,
    use_cache: bool = True,
    concurrency: int | None = None,
    workloads: Mapping[str, WorkloadTarget] | None = None,
    flush_interval: float = 1.0,
    writer_options: Mapping[str, Any] | None = None,
) -> RunSummary:
    """Run the units of `plan` not yet done in `db_path`, recording every outcome.
    `workloads`: unit kind -> a workload to use instead of (or besides) the block kinds'.

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
        runners = {kind: load_workload(kind, targets[kind]) for kind in sorted(kinds, key=list(targets).index)}

        run_id = new_run_id()
        skipped, attempts = store.open_run(
            run_id,
            list(plan.units),
            fresh=fresh,
            spec_path=plan.spec.path,
            spec_hash=plan.spec.content_hash,
            version=benchrun_version(),
        )
        todo = [u for u in plan.units if u.id not in skipped]
        loop = _Loop(plan, todo, skipped, attempts, store, run_id, fail_fast=fail_fast, use_cache=use_cache,
                     concurrency=concurrency, flush_interval=flush_interval, writer_options=writer_options)
        return loop.execute(runners)


class _Loop:
    """One run of a plan's remaining units: hands them to the workloads, records each
    outcome as it is reported, and works out how the run ended."""

    def __init__(self, plan: Plan, todo: list[Unit], skipped: set[str], attempts: dict[str, int], store: Store,
                 run_id: str, *, fail_fast: bool, use_cache: bool, concurrency: int | None, flush_interval: float,
                 writer_options: Mapping[str, Any] | None) -> None:
        self.plan, self.todo, self.skipped, self.attempts = plan, todo, skipped, attempts
        self.store, self.run_id, self.fail_fast = store, run_id, fail_fast
        self.started = time.monotonic()
        self.signalled = False
        self.first_failure: str | None = None
        self.write_error: BaseException | None = None
        self.writer = BatchWriter(store, run_id, interval=flush_interval, on_failure=self._writer_gave_up,
                                  **(writer_options or {}))
        self.ctx = RunContext(
            run_id=run_id, spec=plan.spec,
            concurrency=concurrency or 0,  # 0: each block's own setting decides
            log_metrics=self.writer.log_metrics, fail_fast=fail_fast, use_cache=use_cache, store=store,
        )
        self.by_id = {u.id: u for u in todo}
        self.reported: dict[str, UnitStatus] = {}
        self.lock = threading.Lock()
        self.tracker = _Tracker(len(todo), run_id)

    def _writer_gave_up(self, err: BaseException) -> None:  # stop starting units whose results would be lost
        self.write_error = err
        self.ctx.stop.set()

    def _on_signal(self) -> None:
        self.signalled = True
        self.tracker.console.print("stopping: running units finish and are kept (Ctrl-C again to stop now)")

    def report(self, outcome: UnitOutcome) -> None:
        """Called by the workloads, from any thread, once per unit."""
        unit = self.by_id.get(outcome.unit_id)
        status, error = outcome.status, outcome.error
        with self.lock:
            if unit is None or unit.id in self.reported:
                log.warning("ignoring an outcome for unit %s (unknown or reported twice)", outcome.unit_id)
                return
            self.reported[unit.id] = status
        row = {
            "run_id": self.run_id, "unit_id": unit.id, "kind": unit.kind, "block": unit.block,
            "params": params_json(unit.params), "status": status, "attempts": self.attempts.get(unit.id, 0) + 1,
            "error": error, "finished": now(),
            "summary": params_json(outcome.summary) if outcome.summary else None,
        }
        try:
            self.writer.record_unit(row, [{"block": unit.block, **s} for s in outcome.samples])
        except ValueError as err:  # a workload bug: keep the unit, without its rows
            status = row["status"] = "failed"
            row["error"] = f"the {unit.kind} workload reported a bad sample: {err}"
            self.writer.record_unit(row, [])
            self.reported[unit.id] = status
        self.tracker.advance(failed=status == "failed")
        if status == "failed" and self.fail_fast and self.first_failure is None:
            self.first_failure = f"unit {unit.id} failed: {error}"
            self.ctx.stop.set()

    def execute(self, runners: dict[str, Workload[Any]]) -> RunSummary:
        if self.skipped:
            self.tracker.console.print(
                f"resuming: {len(self.skipped)} of {len(self.plan.units)} units already done in {self.store.path}")
        status: RunStatus = "finished"
        error: str | None = None
        with _stop_on_signals(self.ctx, self._on_signal), self.tracker:
            try:
                with contextlib.closing(self.ctx):  # what the workloads shared between blocks ends here
                    self._run_blocks(runners)
            except KeyboardInterrupt:
                self.ctx.stop.set()
                self.signalled = True
            except Exception as err:
                status, error = "failed", "".join(traceback.format_exception(err))
        with self.lock:  # late reports from abandoned threads are not counted any more
            self.by_id.clear()
        return self._finish(status, error)

    def _run_blocks(self, runners: dict[str, Workload[Any]]) -> None:
        """One call of a workload per block and unit kind; units of a block the spec does
        not have fail (a plan made from another spec)."""
        specs = {block.name: block for block in self.plan.spec.blocks}
        for name, kind, units in groups(self.todo, list(runners)):
            if self.ctx.stop.is_set():
                return
            if name not in specs:
                for unit in units:
                    self.report(UnitOutcome(unit.id, "failed", error=f"the spec has no block named {name!r}"))
                continue
            runners[kind].run_block(specs[name], units, self.ctx, self.report)

    def _finish(self, status: RunStatus, error: str | None) -> RunSummary:
        try:
            self.writer.close()
            write_error = None if self.write_error is None else (
                f"writing results failed, so the run stopped early: {self.write_error}; every finished unit "
                "was written in the end: run the same command again to run the rest")
        except WriteFailed as err:
            write_error = str(err)
        unwritten = {u for u in self.reported if u not in self.writer.written_units}
        for unit_id in unwritten:  # not in the file: they run again on resume
            self.reported.pop(unit_id)
        counts = Counter(self.reported.values())
        not_run = len(self.todo) - len(self.reported)
        if status == "failed":  # the workload crashed
            error = "\n".join(filter(None, [error, write_error]))
        else:
            status, error = self._status(write_error, not_run, counts["failed"], counts["done"])
        try:
            self.store.finish_run(self.run_id, status, error)
        except Exception as err:  # the file is unusable now; the next run marks this one interrupted
            error = f"{error or ''}\n(the run's status could not be recorded: {err})".strip()
        return RunSummary(
            run_id=self.run_id, status=status, db_path=self.store.path, planned=len(self.plan.units),
            skipped=len(self.skipped), done=counts["done"], failed=counts["failed"], not_run=not_run,
            unwritten=len(unwritten), seconds=time.monotonic() - self.started,
            blocks=_block_counts(self.plan.units, self.skipped, self.reported), error=error, notes=list(self.ctx.notes),
        )

    def _status(self, write_error: str | None, not_run: int, failed: int, done: int) -> tuple[RunStatus, str | None]:
        """finished: every unit of the plan is done. incomplete: the loop ended but some units
        could not run (they run again on resume). interrupted: stopped by a signal."""
        if write_error:
            return "failed", write_error
        if self.signalled:
            return "interrupted", None
        if self.first_failure:
            return "failed", self.first_failure
        if self.ctx.stop.is_set():
            return "interrupted", None
        if not_run:
            return "failed", f"the workloads returned without reporting {not_run} units"
        # Nothing ran: "incomplete" would hide a setup that cannot work, unless a workload
        # said why (a budget reached: a larger one finishes the run).
        if failed and not done and not self.ctx.notes:
            return "failed", f"every unit that ran failed ({failed}); see the error column of units"
        if failed:
            return "incomplete", f"{failed} units could not run (see `benchrun report failures`); run the same command again to retry them"
        return "finished", None


def _block_counts(units: tuple[Unit, ...], skipped: set[str], reported: Mapping[str, UnitStatus]) -> dict[str, Counter[str]]:
    blocks: dict[str, Counter[str]] = {}
    for unit in units:
        counts = blocks.setdefault(unit.block, Counter())
        counts["planned"] += 1
        counts["skipped" if unit.id in skipped else reported.get(unit.id, "not_run")] += 1
    return blocks
