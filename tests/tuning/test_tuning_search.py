"""Every search method on the local pool (Ray's are in test_tuning_ray.py), and the
combinations `check` refuses, with file:line:col."""
from __future__ import annotations

import pytest
from tuning_fixtures import Run, block, dataset

from benchrun.grammar import SpecError, load_spec
from benchrun.tuning.spec import Distribution

IRIS = [dataset("sklearn", "iris", task="classification")]
SPACE = {"batch_size": [8, 32], "learning_rate": Distribution("loguniform", (1e-4, 1.0)), "alpha": [1e-4]}


@pytest.mark.parametrize("sampler", ["tpe", "random", "cmaes"])
def test_optuna_on_the_local_pool_trains_what_its_sampler_proposes(sampler):
    run = Run(block(IRIS, ["logistic_regression"], SPACE, method="optuna", samples=3, epochs=2, evaluate_every=5,
                    search_options=(("sampler", sampler),)))
    configs = []
    for unit in run.units:
        outcome = run.outcomes[unit.id]
        assert outcome.status == "done", outcome.error
        configs.append(outcome.summary["config"])
        assert outcome.summary["config"]["batch_size"] in (8, 32) and run.metric(unit, "val_loss")
    assert len({c["learning_rate"] for c in configs}) == 3


def test_asha_on_the_local_pool_ends_the_weak_trials():
    # One trial at a time, so the rungs fill in a fixed order: the run is reproducible.
    run = Run(block(IRIS, ["logistic_regression"], SPACE, method="optuna", samples=8, epochs=3, evaluate_every=2,
                    search_options=(("sampler", "random"), ("scheduler", "asha"), ("grace_period", 1),
                                    ("reduction_factor", 2))), concurrency=1)
    reasons = [run.outcomes[u.id].summary["stop_reason"] for u in run.units]
    assert all(run.outcomes[u.id].status == "done" for u in run.units)
    assert "asha" in reasons and "completed" in reasons, reasons
    for unit in run.units:
        summary = run.outcomes[unit.id].summary
        if summary["stop_reason"] == "asha":  # stopped at a rung: after 1, 2, 4 ... evaluations
            evaluations = len(run.metric(unit, "val_loss"))
            assert evaluations in (1, 2, 4, 8) and summary["steps"] < summary["total_steps"]


def test_asha_ranks_trials_within_their_data_set():
    """Two data sets whose losses differ by four orders of magnitude: each has trials kept
    to the end and trials stopped at a rung. With one rung table for both, every trial of
    the noisy set would be stopped at its first rung by the quiet set's small losses."""
    quiet = dataset("synthetic", "line", rows=400, features=5, task="regression", noise=1.0)
    noisy = dataset("synthetic", "line", rows=400, features=5, task="regression", noise=100.0)
    run = Run(block([quiet, noisy], ["linear_regression"], SPACE, method="optuna", samples=6, epochs=3,
                    evaluate_every=2, search_options=(("sampler", "random"), ("scheduler", "asha"),
                                                      ("grace_period", 1), ("reduction_factor", 2))), concurrency=1)
    reasons: dict[float, list[str]] = {}
    for unit in run.units:
        assert run.outcomes[unit.id].status == "done", run.outcomes[unit.id].error
        noise = dict(unit.params["dataset"]["options"])["noise"]
        reasons.setdefault(noise, []).append(run.outcomes[unit.id].summary["stop_reason"])
    for noise, stops in reasons.items():
        assert "asha" in stops and "completed" in stops, (noise, stops)


BAD = """tune "t" {
  datasets [sklearn("iris")]
  algorithms [svm]
  %s {
    batch_size = [8, 32]
    learning_rate = loguniform(0.001, 0.1)
  }
}
"""


@pytest.mark.parametrize("head, at, message", [
    ("random(samples = 4, grace_period = 2)", "grace_period",
     "grace_period is a setting of the ASHA scheduler; add scheduler = asha or remove it"),
    ("optuna(samples = 4, scheduler = asha, grace_period = 8, max_t = 4)", "max_t",
     "max_t must be above grace_period: ASHA's first rung is at grace_period evaluations"),
])
def test_check_refuses_scheduler_settings_that_cannot_work(tmp_path, head, at, message):
    path = tmp_path / "bad.bench"
    path.write_text(BAD % head)
    column = len("  ") + head.index(at) + 1  # the setting's own column
    with pytest.raises(SpecError) as error:
        load_spec(path)
    assert f"{path}:4:{column}" in str(error.value) and message in str(error.value)


def test_a_run_whose_units_all_failed_is_a_failed_run(tmp_path):
    from benchrun.engine.plan import build_plan
    from benchrun.engine.run import run_plan

    (tmp_path / "d.csv").write_text("a,b\n1,2\n3,4\n")
    path = tmp_path / "fails.bench"
    path.write_text('tune "t" {\n  datasets [csv("d.csv", target = "y", task = regression)]\n'
                    '  algorithms [linear_regression]\n  grid { batch_size = [8, 16] }\n}\n')
    summary = run_plan(build_plan(load_spec(path)), tmp_path / "r.duckdb")
    assert (summary.done, summary.failed, summary.status) == (0, 2, "failed")
    assert "every unit that ran failed (2)" in summary.error


def test_optuna_unit_ids_hold_the_space_sampler_scheduler_and_seed():
    from benchrun.tuning.plan import trial_units

    def ids(space=SPACE, options=(("sampler", "tpe"),), seed=7):
        return [u.id for u in trial_units(block(IRIS, ["svm"], space, method="optuna", samples=3,
                                                search_options=options, seed=seed))]

    base = ids()
    assert ids() == base  # stable
    others = [
        ids(space={**SPACE, "learning_rate": Distribution("loguniform", (1e-3, 1.0))}),
        ids(options=(("sampler", "random"),)),
        ids(options=(("sampler", "tpe"), ("scheduler", "asha"))),
        ids(options=(("sampler", "tpe"), ("scheduler", "asha"), ("grace_period", 2))),
        ids(seed=8),
    ]
    for other in others:
        assert not set(other) & set(base)
    assert len({tuple(o) for o in others}) == len(others)
