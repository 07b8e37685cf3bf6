"""Work units and the contract between the run loop and the workloads.

A unit is one independent piece of work with a stable id: one generated sample for a
benchmark (task x model x strategy x sample index), one trial configuration for a tune
block. The id is a hash of exactly the parameters that decide the unit's result, so the
same spec always yields the same ids, and editing one field only changes the ids that
field affects (e.g. raising `samples` from 5 to 10 keeps the ids of samples 0-4).
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from benchrun.jsonkey import canonical_json


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


@attrs.define
class UnitOutcome:
    """What a workload reports when one unit ends.

    status: "done" (the unit ran; a failing generated program is still "done", its
    failure is in the sample row) or "failed" (the unit could not run: model down,
    sandbox engine gone, a crash in benchrun). Failed units run again on resume.
    """

    unit_id: str
    status: str
    error: str | None = None
    samples: list[dict[str, Any]] = attrs.Factory(list)  # rows for the samples table
    summary: dict[str, Any] = attrs.Factory(dict)  # e.g. a trial's stop reason, best value


@attrs.define
class RunContext:
    """What a workload gets from the run loop."""

    run_id: str
    spec: Any  # benchrun.grammar.spec.Spec
    concurrency: int  # units at once, from --concurrency; 0: each block's own setting decides
    log_metrics: Callable[[str, list[tuple[int, str, float]]], None]  # (unit_id, [(step, name, value)])
    stop: threading.Event = attrs.Factory(threading.Event)  # set on Ctrl-C: finish or drop in-flight work
    fail_fast: bool = False
    use_cache: bool = True
    store: Any = None  # benchrun.reports.Store, for caches kept in the results file
    notes: list[str] = attrs.Factory(list)  # what a workload tells the user at the end (a budget reached)


class Workload(Protocol):
    kind: str

    def run(self, units: list[Unit], ctx: RunContext, report: Callable[[UnitOutcome], None]) -> None:
        """Run `units`, calling `report` once per unit as soon as it ends (from any thread).

        Must return when all units are reported or `ctx.stop` is set."""
