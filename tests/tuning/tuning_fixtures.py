"""Helpers for tuning tests: tune blocks built in Python, and a run context whose
`log_metrics` collects the rows (the callback contract the store writer implements)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchrun.engine.units import RunContext
from benchrun.grammar.spec import Loc, Spec
from benchrun.tuning import TuneWorkload
from benchrun.tuning.plan import TRIAL, trial_units
from benchrun.tuning.spec import DatasetSpec, ExecutorSpec, Param, SearchSpec, SplitSpec, TuneSpec, Values

LOC = Loc("test.bench", 1, 1)
SPLIT = SplitSpec(0.3, 0)  # the thesis protocol: 70/30, no cross-validation
# The shared PMLB cache (read-only, in pmlb's layout): ../shared/data/pmlb from the repo.
PMLB_CACHE = os.environ.get("BENCHRUN_PMLB_CACHE") or str(Path(__file__).resolve().parents[3] / "shared" / "data" / "pmlb")


def dataset(kind: str, name: str, **options) -> DatasetSpec:
    return DatasetSpec(kind, name, tuple(sorted(options.items())), LOC)


def block(datasets, algorithms, grid: dict, *, stop=None, executor="local", executor_options=(),
          epochs=1, evaluate_every=10, split=SPLIT, seed=7, method="grid", samples=1,
          search_options=(), metric="val_loss", mode="min", name="t") -> TuneSpec:
    space = tuple(Param(k, v if not isinstance(v, (list, tuple)) else Values(tuple(v)), LOC) for k, v in grid.items())
    return TuneSpec(
        name=name, datasets=tuple(datasets), algorithms=tuple(algorithms), split=split,
        search=SearchSpec(method, space, samples, tuple(search_options)), epochs=epochs,
        evaluate_every=evaluate_every, stop=stop, executor=ExecutorSpec(executor, tuple(executor_options)),
        seed=seed, metric=metric, mode=mode, loc=LOC,
    )


class Run:
    """The outcome of running a block's units: outcomes and logged metric rows by unit."""

    def __init__(self, tune: TuneSpec, units=None, stop_before=False, stop_on_first_metrics=False, concurrency=2):
        # The trial units (a cross-validated block's holdout units go to their own workload).
        self.units = [u for u in trial_units(tune) if u.kind == TRIAL] if units is None else units
        self.rows: dict[str, list[tuple[int, str, float]]] = {}
        self.outcomes = {}
        self.ctx = ctx = RunContext("run-1", Spec("test.bench", "", "", (tune,)), concurrency, self._log)
        self.stop_on_first_metrics = stop_on_first_metrics  # as Ctrl-C would, mid-run
        if stop_before:
            ctx.stop.set()
        TuneWorkload(PMLB_CACHE).run_block(tune, self.units, ctx, self._report)

    def _log(self, unit_id, rows):
        self.rows.setdefault(unit_id, []).extend(rows)
        if self.stop_on_first_metrics:
            self.ctx.stop.set()

    def _report(self, outcome):
        assert outcome.unit_id not in self.outcomes, "a unit was reported twice"
        self.outcomes[outcome.unit_id] = outcome

    def metric(self, unit, name):
        return [(step, value) for step, n, value in self.rows.get(unit.id, []) if n == name]

    def by_config(self, key):
        return {u.params["config"][key]: u for u in self.units}


@pytest.fixture
def pmlb_cache():
    if not Path(PMLB_CACHE, "diabetes", "diabetes.tsv.gz").exists():
        pytest.skip(f"the shared PMLB cache is not at {PMLB_CACHE} (set BENCHRUN_PMLB_CACHE)")
    return PMLB_CACHE
