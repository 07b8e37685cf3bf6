"""`predicted_worse(metric, min_points = 4, margin = 0.05)`: stop a trial whose learning
curve, extrapolated to the end of its budget, ends worse than the best finished trial of
the same problem by more than `margin` (relative), after Domhan et al. (2015) and Baker
et al. (2017).

At each evaluation with at least `min_points` values of the metric, the power-law and
exponential-decay curves of `curves.py` are fitted to them and read at the last step of
the budget. The trial's predicted result is the more optimistic of the two, and never
worse than the best value it has already reached (its objective is its best evaluation).
The reference is the best value of the metric among the trials of the same data set and
algorithm that have run their whole budget so far in this block (shared through the
trials' board, `TrialContext`); with none finished yet the rule never fires. It fires
when, for a metric where lower is better, predicted > best + margin * |best| (higher is
better: predicted < best - margin * |best|).
"""
from __future__ import annotations

import math
from typing import Any

from benchrun.registry import Int, Number, Option
from benchrun.tuning.metrics import METRICS
from benchrun.tuning.rules import StopRule, TrialContext, call, metric_option
from benchrun.tuning.stopping.board import best_finished, post_finished
from benchrun.tuning.stopping.curves import extrapolate


def predicted_score(steps: list[float], scores: list[float], final_step: float) -> float | None:
    """The trial's predicted best score (higher is better) at `final_step`: the most
    optimistic fitted curve's, and at least the best already reached; None without a fit."""
    predictions = extrapolate(steps, scores, final_step)
    if not predictions:
        return None
    return max(max(predictions.values()), max(scores))


def worse_by(predicted: float, reference: float, margin: float) -> bool:
    """Scores are higher-is-better: is `predicted` below `reference` by more than the margin?"""
    return predicted < reference - margin * abs(reference)


class _Predicted:
    def __init__(self, args: dict[str, Any], objective: str, mode: str, context: TrialContext) -> None:
        self.metric, self.min_points, self.margin = args["metric"], args["min_points"], args["margin"]
        self.larger = METRICS.get(self.metric).higher_is_better or (self.metric == objective and mode == "max")
        self.context = context
        self.steps: list[float] = []
        self.scores: list[float] = []
        self.last_prediction: float | None = None  # in the metric's own terms, for tests and reports

    def fires(self, result: dict[str, Any]) -> bool:
        value = result.get(self.metric)
        if value is not None and math.isfinite(float(value)):
            self.steps.append(float(result["step"]))
            self.scores.append(float(value) if self.larger else -float(value))
        if result.get("finished"):  # the budget is spent: this trial is a reference for the others
            post_finished(self.context, self.metric, max(self.scores) if self.scores else None)
            return False
        total = result.get("total_steps")
        if len(self.scores) < self.min_points or not total:
            return False
        reference = best_finished(self.context, self.metric)
        if reference is None:
            return False
        predicted = predicted_score(self.steps, self.scores, float(total))
        if predicted is None:
            return False
        self.last_prediction = predicted if self.larger else -predicted
        return worse_by(predicted, reference, self.margin)


PREDICTED_WORSE = StopRule(
    name="predicted_worse",
    doc="the metric's learning curve, extrapolated to the end of the budget, ends worse than the best finished "
        "trial of the same problem by more than margin (relative)",
    options=(metric_option(),
             Option("min_points", Int(3, 100_000), "evaluations before the curve is fitted", 4),
             Option("margin", Number(0.0), "how much worse than the best finished trial, as a fraction of it", 0.05)),
    start=_Predicted, contextual=True)


def PredictedWorse(metric: str, min_points: int | None = None, margin: float | None = None, loc: Any = None):  # noqa: N802
    """The `RuleCall` of `predicted_worse(metric, min_points = ..., margin = ...)`, from Python."""
    return call("predicted_worse", loc, metric=metric, min_points=min_points, margin=margin)
