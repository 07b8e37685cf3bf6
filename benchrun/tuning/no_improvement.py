"""`no_improvement(metric, evaluations = N, min_delta = d)`: stop once N evaluations in a
row failed to beat the trial's best value of the metric by more than d. A metric that is
better higher (accuracy), or the block's objective under `max`, counts upwards."""
from __future__ import annotations

import math
from typing import Any

from benchrun.registry import Int, Number, Option
from benchrun.tuning.metrics import METRICS
from benchrun.tuning.rules import StopRule, call, metric_option


class _Stalled:
    def __init__(self, args: dict[str, Any], objective: str, mode: str) -> None:
        self.metric, self.evaluations, self.min_delta = args["metric"], args["evaluations"], args["min_delta"]
        self.larger = METRICS.get(self.metric).higher_is_better or (self.metric == objective and mode == "max")
        self.best: float | None = None  # best score seen (higher is better)
        self.waited = 0  # evaluations since that best

    def fires(self, result: dict[str, Any]) -> bool:
        value = result.get(self.metric)
        if value is None:
            return False
        score = float(value) if self.larger else -float(value)
        if math.isnan(score):
            score = -math.inf
        if self.best is None or score > self.best + self.min_delta:
            self.best, self.waited = score, 0
            return False
        self.waited += 1
        return self.waited >= self.evaluations


NO_IMPROVEMENT = StopRule(
    name="no_improvement", doc="N evaluations in a row without beating the trial's best by more than min_delta",
    options=(metric_option(), Option("evaluations", Int(1, 100_000), "evaluations to wait", 5),
             Option("min_delta", Number(0.0), "smallest change that counts as better", 0.0)),
    start=_Stalled)


def NoImprovement(metric: str, evaluations: int | None = None, min_delta: float | None = None, loc: Any = None):  # noqa: N802
    """The `RuleCall` of `no_improvement(metric, evaluations = ..., min_delta = ...)`, from Python."""
    return call("no_improvement", loc, metric=metric, evaluations=evaluations, min_delta=min_delta)
