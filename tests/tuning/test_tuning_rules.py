"""Stop rules on reported results: which rule fires, when, and with what state."""
from __future__ import annotations

import pytest
from tuning_fixtures import LOC

from benchrun.tuning import RuleError, TrialRules, check_rule, rule_text
from benchrun.tuning.no_improvement import NoImprovement
from benchrun.tuning.plan import rule_to_json
from benchrun.tuning.spec import AllOf, AnyOf, Compare


def rules(rule, **kwargs):
    return TrialRules(rule_to_json(rule), **kwargs)


def test_compare_fires_on_the_first_result_over_the_bound():
    memory = rules(Compare("memory_mb", ">", 512, LOC))
    assert memory.check({"step": 10, "memory_mb": 300.0}) is None
    assert memory.check({"step": 20, "train_loss": 1.0}) is None  # no memory in this result
    assert memory.check({"step": 30, "memory_mb": 600.0}) == "memory_mb > 512"


def test_any_names_the_rule_that_fired_and_all_needs_every_rule():
    either = rules(AnyOf((Compare("memory_mb", ">", 512, LOC), Compare("step_time_ms", ">", 20, LOC))))
    assert either.check({"memory_mb": 100.0, "step_time_ms": 25.0}) == "step_time_ms > 20"
    both = rules(AllOf((Compare("memory_mb", ">", 512, LOC), Compare("step_time_ms", ">", 20, LOC))))
    assert both.check({"memory_mb": 100.0, "step_time_ms": 25.0}) is None
    assert both.check({"memory_mb": 600.0, "step_time_ms": 25.0}) == "(memory_mb > 512 and step_time_ms > 20)"


def test_no_improvement_counts_evaluations_since_the_best():
    stall = rules(NoImprovement("val_loss", 2, 0.01, LOC))
    assert [stall.check({"val_loss": v}) for v in (1.0, 0.9, 0.895, 0.95)] == [
        None, None, None, "no_improvement(val_loss, evaluations = 2, min_delta = 0.01)",
    ]


def test_no_improvement_on_accuracy_wants_it_higher():
    stall = rules(NoImprovement("accuracy", 2, 0.0, LOC))
    assert [stall.check({"accuracy": v}) for v in (0.5, 0.6, 0.7, 0.8)] == [None] * 4
    stall = rules(NoImprovement("accuracy", 2, 0.0, LOC))
    assert stall.check({"accuracy": 0.8}) is None and stall.check({"accuracy": 0.7}) is None
    assert stall.check({"accuracy": 0.6}) is not None


def test_stateful_rules_see_every_result_inside_any():
    # The bound fires first; the no-improvement counter must still have counted that result.
    rule = AnyOf((Compare("memory_mb", ">", 100, LOC), NoImprovement("val_loss", 2, 0.0, LOC)))
    trial = rules(rule)
    assert trial.check({"memory_mb": 10.0, "val_loss": 1.0}) is None
    assert trial.check({"memory_mb": 200.0, "val_loss": 2.0}) == "memory_mb > 100"
    assert trial.check({"memory_mb": 10.0, "val_loss": 2.0}).startswith("no_improvement")


def test_rule_text_and_unknown_metrics():
    assert rule_text(rule_to_json(Compare("wall_time_s", ">=", 30, LOC))) == "wall_time_s >= 30"
    with pytest.raises(RuleError, match="unknown metric.*memory.*known: memory_mb, worker_memory_mb, step_time_ms, cpu_step_ms"):
        check_rule(rule_to_json(Compare("memory", ">", 1, LOC)))
