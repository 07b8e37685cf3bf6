"""`predicted_worse(metric, min_points, margin)`: learning curves fitted and extrapolated
on synthetic curves whose end is known, the rule's decisions against a board of finished
trials, and a real grid where every trial it stops would have ended worse than the best by
more than the margin."""
from __future__ import annotations

import math
import threading

import numpy as np
import pytest
from tuning_fixtures import Run, block, dataset

from benchrun.tuning.rules import RULES, TrialContext, TrialRules
from benchrun.tuning.stopping.board import post_finished
from benchrun.tuning.stopping.curves import extrapolate
from benchrun.tuning.stopping.predicted import PredictedWorse

FINAL = 200
STEPS = np.arange(10, 70, 10)  # six evaluations, the first 30 % of the budget


@pytest.mark.parametrize("name, curve", [
    ("pow3", lambda s: 0.5 + 0.2 * (s / FINAL) ** -0.5),
    ("exp3", lambda s: 1.0 + 3.0 * np.exp(-5.0 * s / FINAL)),
    ("exp3", lambda s: 2.0 - 1.5 * np.exp(-4.0 * s / FINAL)),  # a rising curve (a loss that diverges)
])
def test_a_curve_of_a_family_is_extrapolated_to_its_known_end(name, curve):
    predicted = extrapolate(STEPS, curve(STEPS), FINAL)
    assert predicted[name] == pytest.approx(float(curve(FINAL)), rel=0.03)


def test_too_few_points_or_a_flat_start_give_no_prediction():
    assert extrapolate([10, 20], [1.0, 0.9], FINAL) == {}
    assert extrapolate([10, 10, 10], [1.0, 0.9, 0.8], FINAL) == {}
    assert extrapolate([10, 20, 30], [math.nan, 0.9, 0.8], FINAL) == {}


def _context(board=None):
    return TrialContext(unit_id="u", problem="p", board={} if board is None else board, lock=threading.Lock())


def _trial(rule, context, curve, steps=range(10, FINAL + 1, 10), metric="val_loss", mode="min", objective="val_loss"):
    """Feed a curve to a fresh trial's rules; the step it stopped at, or None."""
    rules = TrialRules(rule, objective, mode, context)
    for step in steps:
        if rules.check({"step": step, metric: float(curve(step)), "total_steps": FINAL, "finished": step == FINAL}):
            return step
    return None


def _rule(**options):
    from benchrun.tuning.plan import rule_to_json

    return rule_to_json(PredictedWorse(options.pop("metric", "val_loss"), **options))


def test_the_rule_stops_a_curve_that_ends_worse_than_the_best_finished_and_keeps_the_others():
    context, rule = _context(), _rule(min_points=4, margin=0.05)
    assert RULES.get("predicted_worse").contextual
    # Nothing has finished: no reference, no stop, however bad the curve.
    assert _trial(rule, context, lambda s: 5.0 + 3 * np.exp(-5 * s / FINAL)) is None
    assert context.board  # ... and that trial, having finished, is now the reference (5.02)
    best = lambda s: 1.0 + 3 * np.exp(-5 * s / FINAL)  # noqa: E731 - ends at 1.02
    assert _trial(rule, context, best) is None
    # Ends at 1.52, 49 % worse: stopped at the 4th evaluation, as soon as it may be judged.
    assert _trial(rule, context, lambda s: 1.5 + 3 * np.exp(-5 * s / FINAL)) == 40
    # Ends at 1.04, 2 % worse: within the margin, runs to the end.
    assert _trial(rule, context, lambda s: 1.02 + 3 * np.exp(-5 * s / FINAL)) is None
    # Starts far worse but falls steeply to 0.9 by the end: a slow start is not stopped.
    assert _trial(rule, context, lambda s: 0.9 + 30 * (s / FINAL) ** -1.0 - 30) is None
    # A larger margin lets a 49 %-worse curve finish.
    assert _trial(_rule(min_points=4, margin=0.6), context, lambda s: 1.5 + 3 * np.exp(-5 * s / FINAL)) is None
    # A trial that already reached the best value is never stopped, even if its curve rises again.
    assert _trial(rule, context, lambda s: 0.5 + 0.02 * s) is None


def test_higher_is_better_counts_upwards_and_problems_do_not_mix():
    rule = _rule(metric="accuracy", min_points=3, margin=0.1)
    board = {}
    ctx = _context(board)
    good = lambda s: 0.95 - 0.5 * np.exp(-8 * s / FINAL)  # noqa: E731
    assert _trial(rule, ctx, good, metric="accuracy") is None
    poor = lambda s: 0.6 - 0.5 * np.exp(-8 * s / FINAL)  # noqa: E731 - ends at 0.6, 37 % below 0.95
    assert _trial(rule, ctx, poor, metric="accuracy") == 30
    other = TrialContext(unit_id="v", problem="another data set", board=board, lock=threading.Lock())
    assert _trial(rule, other, poor, metric="accuracy") is None  # no finished trial of its own problem


def test_the_board_keeps_the_best_of_the_finished_trials():
    ctx = _context()
    for score in (-3.0, -1.0, -2.0):
        post_finished(ctx, "val_loss", score)
    assert list(ctx.board.values()) == [-1.0]


def test_on_a_real_grid_every_trial_it_stops_would_have_ended_worse_by_the_margin():
    """Linear regression on scikit-learn's diabetes, four learning rates, one at a time in
    plan order: the first (0.01) finishes and is the reference. Run again without the rule,
    each stopped trial's best is more than 5 % worse than the best; the best survives."""
    data = [dataset("sklearn", "diabetes", task="regression")]
    grid = {"batch_size": [8], "learning_rate": [0.01, 0.0003, 0.001, 0.003], "alpha": [1e-4]}
    ruled = Run(block(data, ["linear_regression"], grid, stop=PredictedWorse("val_loss", min_points=4, margin=0.05),
                      epochs=4, evaluate_every=5), concurrency=1)
    free = Run(block(data, ["linear_regression"], grid, epochs=4, evaluate_every=5), concurrency=1)
    with_rule = {u.params["config"]["learning_rate"]: ruled.outcomes[u.id].summary for u in ruled.units}
    without = {u.params["config"]["learning_rate"]: free.outcomes[u.id].summary for u in free.units}
    best = min(s["best_value"] for s in without.values())
    stopped = [lr for lr, s in with_rule.items() if s["stop_reason"].startswith("predicted_worse")]
    assert stopped, "the rule stopped nothing on a grid with two poor learning rates"
    for lr in stopped:
        assert without[lr]["best_value"] > 1.05 * best
        assert with_rule[lr]["steps"] < without[lr]["steps"]
    kept = min(with_rule, key=lambda lr: with_rule[lr]["best_value"])
    assert with_rule[kept]["best_value"] == pytest.approx(best)
    assert sum(s["steps"] for s in with_rule.values()) < 0.8 * sum(s["steps"] for s in without.values())


def test_on_ray_the_rule_stops_the_same_trials_at_the_same_steps(ray_local):
    """Under Ray the rule runs in the driver's stopper, on the stopper's own board."""
    data = [dataset("sklearn", "diabetes", task="regression")]
    grid = {"batch_size": [8], "learning_rate": [0.01, 0.0003, 0.001, 0.003], "alpha": [1e-4]}
    rule = PredictedWorse("val_loss", min_points=4, margin=0.05)
    outcomes = {}
    for executor in ("local", "ray"):
        done = Run(block(data, ["linear_regression"], grid, stop=rule, epochs=4, evaluate_every=5, executor=executor,
                         executor_options=(("max_concurrent", 1),)), concurrency=1)
        outcomes[executor] = {u.params["config"]["learning_rate"]: (done.outcomes[u.id].summary["stop_reason"],
                                                                    done.outcomes[u.id].summary["steps"]) for u in done.units}
    assert outcomes["ray"] == outcomes["local"]
    assert any(reason.startswith("predicted_worse") for reason, _ in outcomes["ray"].values())
