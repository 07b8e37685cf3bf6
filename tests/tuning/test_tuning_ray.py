"""Trials as real Ray Tune trials on the session's local Ray (ray_local, tests/conftest.py)."""
from __future__ import annotations

import pytest
from tuning_fixtures import LOC, Run, block, dataset

from benchrun.engine.units import Unit
from benchrun.tuning.no_improvement import NoImprovement
from benchrun.tuning.plan import TRIAL, trial_units
from benchrun.tuning.spec import Distribution

pytestmark = pytest.mark.usefixtures("ray_local")


def test_ray_grid_streams_every_unit_and_matches_the_local_pool():
    data = [dataset("synthetic", "line", rows=2000, features=10, task="regression", noise=1.0)]
    grid = {"batch_size": [20], "learning_rate": [0.001, 3.0], "alpha": [1e-4]}
    rule = NoImprovement("val_loss", 3, 0.0, LOC)
    on_ray = block(data, ["linear_regression"], grid, epochs=2, evaluate_every=10, stop=rule,
                   executor="ray", executor_options=(("cpus_per_trial", 1),))
    units = trial_units(on_ray)
    # A unit whose configuration crashes the trial (no alpha): reported failed, the others run.
    broken = Unit.make(TRIAL, "t", {**units[0].params, "config": {"batch_size": 20, "learning_rate": 0.01}})
    ray_run = Run(on_ray, units=[*units, broken])
    local_run = Run(block(data, ["linear_regression"], grid, epochs=2, evaluate_every=10, stop=rule))

    assert ray_run.outcomes[broken.id].status == "failed" and "alpha" in ray_run.outcomes[broken.id].error
    for unit in units:
        assert ray_run.outcomes[unit.id].status == "done", ray_run.outcomes[unit.id].error
        # Same trial, same numbers, whichever executor ran it.
        assert ray_run.metric(unit, "val_loss") == local_run.metric(unit, "val_loss")
        assert ray_run.metric(unit, "train_loss") == local_run.metric(unit, "train_loss")
        assert len(ray_run.metric(unit, "memory_mb")) == len(ray_run.metric(unit, "val_loss")) > 0
        ray_summary, local_summary = ray_run.outcomes[unit.id].summary, local_run.outcomes[unit.id].summary
        for key in ("stop_reason", "stopped_at_step", "steps", "total_steps", "best_value", "val_loss"):
            assert ray_summary[key] == local_summary[key], key
    wild = ray_run.by_config("learning_rate")[3.0]
    assert ray_run.outcomes[wild.id].summary["stop_reason"].startswith("no_improvement(val_loss")


def test_optuna_search_with_asha_runs_one_trial_per_unit():
    tune = block([dataset("sklearn", "iris", task="classification")], ["logistic_regression"],
                 {"batch_size": [8, 32], "learning_rate": Distribution("loguniform", (1e-3, 1e-1)), "alpha": [1e-4]},
                 method="optuna", samples=3, search_options=(("scheduler", "asha"),), epochs=3, evaluate_every=5,
                 executor="ray")
    run = Run(tune)
    assert [u.params["config"] for u in run.units] == [{"optuna_trial": i} for i in range(3)]
    for unit in run.units:
        outcome = run.outcomes[unit.id]
        assert outcome.status == "done", outcome.error
        config = outcome.summary["config"]
        assert config["batch_size"] in (8, 32) and 1e-3 <= config["learning_rate"] <= 1e-1
        assert run.metric(unit, "val_loss") and run.metric(unit, "accuracy")
    assert len({run.outcomes[u.id].summary["config"]["learning_rate"] for u in run.units}) == 3


def test_memory_of_a_trial_is_the_same_alone_after_a_large_trial_and_on_ray():
    """memory_mb depends on the trial only: one configuration alone in a fresh worker, in
    the same worker right after a trial holding 45 MB batches of another data set, and
    on Ray, peaks within 10 % of each other."""
    target_data = dataset("synthetic", "target", rows=30000, features=100, task="regression")
    big_data = dataset("synthetic", "big", rows=40000, features=200, task="regression")
    grid = {"batch_size": [20000], "learning_rate": [1e-4], "alpha": [1e-4]}
    target = trial_units(block([target_data], ["linear_regression"], grid, epochs=2, evaluate_every=1))[0]
    big = trial_units(block([big_data], ["linear_regression"], {**grid, "batch_size": [28000]},
                            epochs=2, evaluate_every=1))[0]

    def peak(run, unit):
        assert run.outcomes[unit.id].status == "done", run.outcomes[unit.id].error
        return max(v for _, v in run.metric(unit, "memory_mb"))

    local = block([target_data], ["linear_regression"], grid)
    alone = peak(Run(local, units=[target], concurrency=1), target)
    after_run = Run(local, units=[big, target], concurrency=1)
    after, big_peak = peak(after_run, target), peak(after_run, big)
    on_ray = peak(Run(block([target_data], ["linear_regression"], grid, executor="ray"), units=[target]), target)
    print(f"memory_mb peaks: alone {alone:.1f}, after a {big_peak:.1f} MB trial {after:.1f}, on Ray {on_ray:.1f}")
    assert big_peak > 1.5 * alone  # the earlier trial did use more memory
    assert alone > 15  # the batch (15 MB) is counted
    for other in (after, on_ray):
        assert abs(other - alone) <= 0.1 * alone, (alone, after, on_ray)


def test_random_search_with_asha_on_ray_trains_the_planned_points():
    tune = block([dataset("sklearn", "iris", task="classification")], ["logistic_regression"],
                 {"batch_size": [8, 32], "learning_rate": Distribution("loguniform", (1e-4, 1.0)), "alpha": [1e-4]},
                 method="random", samples=8, epochs=3, evaluate_every=2, executor="ray",
                 search_options=(("scheduler", "asha"), ("grace_period", 1), ("reduction_factor", 2)))
    run = Run(tune, concurrency=1)  # one trial at a time: the rungs fill in the plan's order
    reasons = []
    for unit in run.units:
        outcome = run.outcomes[unit.id]
        assert outcome.status == "done", outcome.error
        assert outcome.summary["config"] == unit.params["config"]  # the plan's point, as drawn
        reasons.append(outcome.summary["stop_reason"])
        if outcome.summary["stop_reason"] == "asha":  # stopped at a rung, before the end
            assert outcome.summary["steps"] < outcome.summary["total_steps"]
    # Learning rates from 1e-4 to 1 differ enough that ASHA stops some trials and keeps others.
    assert "asha" in reasons and "completed" in reasons, reasons
