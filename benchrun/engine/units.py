"""Work units and the contract between the run loop and the workloads.

A unit is one independent piece of work with a stable id: one generated sample for a
benchmark (task x model x strategy x sample index), one trial configuration for a tune
block. The id is a hash of exactly the parameters that decide the unit's result, so the
same spec always yields the same ids, and editing one field only changes the ids that
field affects (e.g. raising `samples` from 5 to 10 keeps the ids of samples 0-4).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any, Literal, Protocol, TypeVar, cast, get_args

import attrs

from benchrun.grammar.spec import Spec
from benchrun.jsonkey import canonical_json
from benchrun.storage.store import Store
from benchrun.storage.tables import MetricRows


def unit_id(kind: str, params: dict[str, Any]) -> str:
    digest = hashlib.sha256(f"{kind}\n{canonical_json(params)}".encode()).hexdigest()
    return f"{kind[0]}-{digest[:16]}"


@attrs.frozen
class Unit:
    id: str
    kind: str  # what runs it: a workload of the block's kind (codegen, trial, ...)
    block: str  # the name of the benchmark / tune block it belongs to
    params: dict[str, Any] = attrs.field(hash=False)
    # Not hashed: how reports group the unit (task, functionality, model, strategy label,
    # sample, and the block's pass@k values), stored with the plan of each run.
    labels: dict[str, Any] = attrs.field(factory=dict, hash=False, eq=False)

    @classmethod
    def make(cls, kind: str, block: str, params: dict[str, Any], labels: dict[str, Any] | None = None) -> Unit:
        # Round-trip through JSON so params are plain JSON values, as they are stored.
        plain = json.loads(canonical_json(params))
        return cls(id=unit_id(kind, {"block": block, **plain}), kind=kind, block=block, params=plain,
                   labels=dict(labels or {}))


# How a unit ended. "done": the unit ran (a failing generated program is still "done", its
# failure is in the sample row). "failed": the unit could not run (model down, sandbox
# engine gone, a crash in benchrun); failed units run again on resume.
UnitStatus = Literal["done", "failed"]
STATUSES: tuple[UnitStatus, ...] = get_args(UnitStatus)


@attrs.define
class UnitOutcome:
    """What a workload reports when one unit ends (a status outside STATUSES is refused
    here, in the workload that made it)."""

    unit_id: str
    status: UnitStatus = attrs.field(validator=attrs.validators.in_(STATUSES))
    error: str | None = None
    samples: list[dict[str, Any]] = attrs.Factory(list)  # rows for the samples table
    summary: dict[str, Any] = attrs.Factory(dict)  # e.g. a trial's stop reason, best value


Report = Callable[[UnitOutcome], None]
T = TypeVar("T")


@attrs.define
class RunContext:
    """What a workload gets from the run loop."""

    run_id: str
    spec: Spec
    concurrency: int  # units at once, from --concurrency; 0: each block's own setting decides
    log_metrics: Callable[[str, MetricRows], None]  # (unit_id, rows)
    stop: threading.Event = attrs.Factory(threading.Event)  # set on Ctrl-C: finish or drop in-flight work
    fail_fast: bool = False
    use_cache: bool = True
    store: Store | None = None  # the results file, for caches kept in it (None: no file, as in some tests)
    notes: list[str] = attrs.Factory(list)  # what a workload tells the user at the end (a budget reached)
    _shared: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)
    _closing: contextlib.ExitStack = attrs.field(factory=contextlib.ExitStack, init=False, repr=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False)

    def shared(self, key: str, make: Callable[[], contextlib.AbstractContextManager[T]]) -> T:
        """What `make()` enters, made once per run under `key` and kept for every block
        of the run (a workload's model servers); exited, last made first, when the run
        ends (`close`)."""
        with self._lock:
            if key not in self._shared:
                self._shared[key] = self._closing.enter_context(make())
            return cast(T, self._shared[key])

    def close(self) -> None:
        """End what `shared` made (the run loop calls this once every block has run)."""
        with self._lock:
            self._shared.clear()
            closing, self._closing = self._closing, contextlib.ExitStack()
        closing.close()


Block = TypeVar("Block", contravariant=True)


class Workload(Protocol[Block]):
    """What runs the units of one unit kind. The run loop groups a plan's units by block
    and unit kind and calls `run_block` once per group, in plan order; a block kind names
    its workloads in its `BlockKind.workloads` (benchrun.blocks)."""

    def run_block(self, block: Block, units: list[Unit], ctx: RunContext, report: Report) -> None:
        """Run `units`, all of `block` (the block kind's validated spec) and of this
        workload's kind, calling `report` once per unit as soon as it ends (from any
        thread). Must return when all units are reported or `ctx.stop` is set."""
