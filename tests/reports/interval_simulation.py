"""Simulated benchmarks with known per-task pass rates, written into a real results file so
the intervals are computed by the views themselves (benchrun/codegen/views.sql), every
benchmark in one query.

A scenario draws each benchmark's tasks from a population of tasks whose pass rates follow
a Beta(a, b) distribution, then `samples` samples per task, each passing with its task's
rate. The value the intervals target is the population's expected pass@k,
E[1 - (1 - p)^k] = 1 - prod_{j<k} (b + j) / (a + b + j) for p ~ Beta(a, b). Each
benchmark is one model of the scenario's block (one cell per k), one functionality.
Used by tests/reports/test_intervals.py and bench/interval_width.py.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import attrs
import duckdb
import numpy as np
import pyarrow as pa

from benchrun.engine.units import Unit
from benchrun.storage import Store
from benchrun.storage.tables import now

RUN = "r-simulated"


@attrs.frozen
class Scenario:
    name: str  # the block of its benchmarks
    tasks: int  # per benchmark (per cell)
    a: float  # the population's pass rates: Beta(a, b)
    b: float
    benchmarks: int = 1000

    def truth(self, k: int) -> float:
        """The expected pass@k of a task drawn from the population."""
        return 1.0 - math.prod((self.b + j) / (self.a + self.b + j) for j in range(k))


def write_results(path: Path, scenarios: Sequence[Scenario], samples: int = 3, scores: Sequence[int] = (1, 3),
                  seed: int = 0) -> None:
    """A results file holding every scenario's simulated benchmarks as one run's plan."""
    rng = np.random.default_rng(seed)
    units, passed = [], []
    for scenario in scenarios:
        rates = rng.beta(scenario.a, scenario.b, size=(scenario.benchmarks, scenario.tasks))
        passes = rng.random((scenario.benchmarks, scenario.tasks, samples)) < rates[:, :, None]
        for bench in range(scenario.benchmarks):
            model = f"b{bench:05d}"
            for task in range(scenario.tasks):
                for sample in range(samples):
                    unit_id = f"c-{scenario.name}-{model}-t{task}-{sample}"
                    labels = {"task": f"t{task}", "functionality": "f", "model": model, "strategy": "s",
                              "level": "brief", "sample": sample, "scores": list(scores)}
                    units.append(Unit(unit_id, "codegen", scenario.name, {}, labels))
                    passed.append(bool(passes[bench, task, sample]))
    store = Store(path)
    store.open_run(RUN, units, fresh=False, spec_path=None, spec_hash=None, version="simulation")
    # Each unit done with its one sample: whole columns at once (tens of thousands of rows).
    ids, count, finished = pa.array([u.id for u in units]), len(units), now()
    with store.connect() as con:
        con.register("simulated_units", pa.table({
            "run_id": [RUN] * count, "unit_id": ids, "kind": ["codegen"] * count, "block": [u.block for u in units],
            "params": ["{}"] * count, "status": ["done"] * count, "attempts": pa.array([1] * count, pa.int32()),
            "finished": pa.array([finished] * count, pa.timestamp("us"))}))
        con.execute("INSERT INTO units BY NAME SELECT * FROM simulated_units")
        con.register("simulated_samples", pa.table({
            "run_id": [RUN] * count, "unit_id": ids, "passed": passed,
            "created": pa.array([finished] * count, pa.timestamp("us"))}))
        con.execute("INSERT INTO samples BY NAME SELECT * FROM simulated_samples")
    store.finish_run(RUN, "finished")


INTERVALS = """
SELECT block, model, k, pass_at, pass_at_low, pass_at_high, tasks
FROM pass_at_k_by_functionality ORDER BY block, model, k
"""


def intervals(path: Path) -> list[tuple]:
    """Every simulated benchmark's cells, as the view pass_at_k_by_functionality gives them:
    (scenario, benchmark, k, pass_at, low, high, tasks)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(INTERVALS).fetchall()


def coverage(path: Path, scenarios: Sequence[Scenario]) -> dict[tuple[str, int], dict[str, float]]:
    """Per (scenario, k): the share of benchmarks whose interval covers the scenario's true
    value, the mean half-width, and the number of benchmarks."""
    by_name = {s.name: s for s in scenarios}
    found: dict[tuple[str, int], list[tuple[bool, float]]] = {}
    for block, _, k, _, low, high, _ in intervals(path):
        truth = by_name[block].truth(k)
        found.setdefault((block, k), []).append((low is not None and low <= truth <= high,
                                                  (high - low) / 2 if low is not None else math.nan))
    return {key: {"coverage": sum(c for c, _ in cells) / len(cells), "half_width": float(np.nanmean([w for _, w in cells])),
                  "benchmarks": len(cells)} for key, cells in found.items()}
