"""ASHA's rule on hand-made value streams: each problem (data set, algorithm) has rungs of
its own, so trials are ranked against trials of the same problem only."""
from __future__ import annotations

from benchrun.tuning.asha import Asha, problem_of

SETTINGS = {"grace_period": 1, "reduction_factor": 2, "max_t": 8}


def first_rung_verdicts(asha: Asha, trials: list[tuple[str, float, str]]) -> dict[str, bool]:
    """Each trial's first evaluation, in order: stopped or not."""
    return {trial: asha.decide(trial, 1, value, problem) for trial, value, problem in trials}


def test_a_trial_worse_than_its_problems_better_half_is_stopped():
    asha = Asha(SETTINGS, "min")
    verdicts = first_rung_verdicts(asha, [("a", 0.5, "p"), ("b", 0.9, "p"), ("c", 0.1, "p"), ("d", 0.7, "p")])
    # a: first at the rung, goes on; b: worse than the median so far (0.5): stopped;
    # c: better, goes on; d: above the median of 0.5, 0.9, 0.1: stopped
    assert verdicts == {"a": False, "b": True, "c": False, "d": True}


def test_problems_do_not_share_rungs():
    """Squared errors of a regression set (around 100) and log losses of a classifier
    (around 0.5): on a shared rung every regression trial would be stopped and every
    classifier kept; per problem each is judged against its own kind."""
    trials = [("r1", 90.0, "reg"), ("c1", 0.6, "clf"), ("r2", 80.0, "reg"), ("c2", 0.4, "clf"),
              ("r3", 120.0, "reg"), ("c3", 0.9, "clf")]
    separate = first_rung_verdicts(Asha(SETTINGS, "min"), trials)
    assert separate == {"r1": False, "c1": False, "r2": False, "c2": False, "r3": True, "c3": True}
    shared = first_rung_verdicts(Asha(SETTINGS, "min"), [(t, v, "") for t, v, _ in trials])
    assert shared != separate  # the bug the problem key fixes: scale decides
    assert shared["r2"] is True and separate["r2"] is False


def test_a_trial_is_judged_once_per_rung_and_ends_at_max_t():
    asha = Asha(SETTINGS, "max")
    assert asha.decide("a", 1, 0.9, "p") is False
    assert asha.decide("b", 1, 0.1, "p") is True  # mode max: lower is worse
    assert asha.decide("a", 1, 0.0, "p") is False  # already judged at rung 1
    assert asha.decide("a", 8, 0.9, "p") is True  # max_t


def test_the_problem_is_the_units_data_set_and_algorithm():
    params = {"dataset": {"kind": "pmlb", "name": "mnist", "options": {}}, "algorithm": "svm", "config": {"x": 1}}
    assert problem_of(params) == problem_of({**params, "config": {"x": 2}})
    assert problem_of({**params, "algorithm": "logistic_regression"}) != problem_of(params)
    other = {**params, "dataset": {"kind": "pmlb", "name": "mnist", "options": {"rows": 100}}}
    assert problem_of(other) != problem_of(params)
