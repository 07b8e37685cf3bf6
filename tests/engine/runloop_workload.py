"""A small real workload for the run-loop tests: each unit trains a tiny NumPy linear
model by gradient descent for `steps` steps, sleeping `sleep` s per step so tests can
interrupt it mid-run, logs its loss every step and reports one sample row. Units of
any kind work (index, steps and sleep default from the unit id, 5 and 0); tests pass it to
`run_plan(..., workloads={KIND: ToyWorkload})`.

A unit whose params say `fail: true` raises, to exercise failed units."""
from __future__ import annotations

import time

import attrs
import numpy as np

from benchrun.engine import RunContext, Unit, UnitOutcome, run_pool
from benchrun.engine.units import Report

KIND = "toy"


@attrs.frozen
class ToyBlock:
    """The block toy units belong to (a block kind's validated spec has a name and a kind)."""

    name: str = "toy"
    kind: str = KIND


class ToyWorkload:
    kind = KIND

    def run_block(self, block: ToyBlock, units: list[Unit], ctx: RunContext, report: Report) -> None:
        run_pool(units, lambda unit: self.train(unit, ctx), ctx, report)

    @staticmethod
    def train(unit: Unit, ctx: RunContext) -> UnitOutcome:
        p = {"index": int(unit.id[-6:], 16), "steps": 5, "sleep": 0.0, **unit.params}
        if p.get("fail"):
            raise RuntimeError(f"unit {p['index']} is set to fail")
        rng = np.random.default_rng(p["index"])
        x = rng.normal(size=(64, 3))
        y = x @ np.array([1.0, -2.0, 0.5])
        w = np.zeros(3)
        for step in range(p["steps"]):
            grad = x.T @ (x @ w - y) / len(x)
            w -= 0.1 * grad
            loss = float(np.mean((x @ w - y) ** 2))
            ctx.log_metrics(unit.id, [(step, "train_loss", loss), (step, "memory_mb", 10.0 + step)])
            time.sleep(p["sleep"])
        sample = {
            "task": f"task-{p['index'] % 3}",
            "functionality": "toy",
            "model": "numpy",
            "strategy": "gd",
            "sample": p["index"],
            "passed": loss < 1.0,
        }
        return UnitOutcome(unit.id, "done", samples=[sample], summary={"steps": p["steps"]})
