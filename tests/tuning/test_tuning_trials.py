"""Trials on the local process pool: reproducibility against plain scikit-learn, the
protocol's metrics, stopping rules, and failures that stay with their unit."""
from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.metrics import hinge_loss, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tuning_fixtures import LOC, Run, block, dataset

from benchrun.tuning.no_improvement import NoImprovement
from benchrun.tuning.spec import Compare, SplitSpec

SEED = 7


def plain_sklearn_val_losses(algorithm, batch_size, learning_rate, alpha, epochs, every):
    """The thesis protocol written out with scikit-learn alone, independently of benchrun:
    70/30 split (stratified for classifiers), scaler fit on the training part, a fresh
    permutation per epoch from numpy's Generator(seed), consecutive mini-batches."""
    regression = algorithm == "linear_regression"
    X, y = (load_diabetes if regression else load_breast_cancer)(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=SEED, stratify=None if regression else y
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    common = {"penalty": "l2", "alpha": alpha, "learning_rate": "constant", "eta0": learning_rate,
              "shuffle": False, "random_state": SEED}
    if regression:
        model = SGDRegressor(loss="squared_error", **common)
    else:
        model = SGDClassifier(loss="log_loss" if algorithm == "logistic_regression" else "hinge", **common)
    rng = np.random.default_rng(SEED)
    steps_per_epoch = math.ceil(len(y_train) / batch_size)
    losses, step = {}, 0
    for _ in range(epochs):
        order = rng.permutation(len(y_train))
        for b in range(steps_per_epoch):
            rows = order[b * batch_size : (b + 1) * batch_size]
            kwargs = {} if regression else {"classes": np.unique(y)}
            model.partial_fit(X_train[rows], y_train[rows], **kwargs)
            step += 1
            if step % every == 0 or step == epochs * steps_per_epoch:
                if regression:
                    losses[step] = float(np.mean((model.predict(X_test) - y_test) ** 2))
                elif algorithm == "logistic_regression":
                    losses[step] = log_loss(y_test, model.predict_proba(X_test), labels=model.classes_)
                else:
                    losses[step] = hinge_loss(y_test, model.decision_function(X_test), labels=model.classes_)
    return losses


def test_logged_validation_loss_matches_plain_scikit_learn():
    tune = block(
        [dataset("sklearn", "diabetes", task="regression"), dataset("sklearn", "breast_cancer", task="classification")],
        ["linear_regression", "logistic_regression", "svm"],
        {"batch_size": [24], "learning_rate": [0.005], "alpha": [1e-3]},
        epochs=2, evaluate_every=7, seed=SEED,
    )
    run = Run(tune)
    assert len(run.units) == 3  # each algorithm paired with the data set of its task
    for unit in run.units:
        assert run.outcomes[unit.id].status == "done", run.outcomes[unit.id].error
        expected = plain_sklearn_val_losses(unit.params["algorithm"], 24, 0.005, 1e-3, epochs=2, every=7)
        logged = dict(run.metric(unit, "val_loss"))
        assert logged.keys() == expected.keys()
        for step, value in expected.items():
            assert logged[step] == pytest.approx(value, abs=1e-9, rel=0)
        summary = run.outcomes[unit.id].summary
        assert summary["val_loss"] == pytest.approx(expected[max(expected)], abs=1e-9, rel=0)
        assert summary["stop_reason"] == "completed" and summary["steps"] == max(expected)


def test_each_step_logs_training_loss_and_each_evaluation_the_system_metrics():
    tune = block([dataset("sklearn", "iris", task="classification")], ["logistic_regression"],
                 {"batch_size": [10, 1000], "learning_rate": [0.01], "alpha": [1e-4]}, epochs=2, evaluate_every=4)
    run = Run(tune)
    small, large = run.by_config("batch_size")[10], run.by_config("batch_size")[1000]
    # 105 training rows: 11 batches of 10 per epoch.
    assert [s for s, _ in run.metric(small, "train_loss")] == list(range(1, 23))
    assert [s for s, _ in run.metric(small, "val_loss")] == [4, 8, 12, 16, 20, 22]
    for name in ("accuracy", "step_time_ms", "cpu_pct", "memory_mb", "cpu_time_s", "train_time_s"):
        assert [s for s, _ in run.metric(small, name)] == [4, 8, 12, 16, 20, 22], name
    assert all(v >= 0 for _, v in run.metric(small, "memory_mb"))
    assert all(v > 0 for _, v in run.metric(small, "step_time_ms"))
    # A batch larger than the training set is clamped to it, and the summary says so.
    summary = run.outcomes[large.id].summary
    assert summary["batch_size"] == 105 and summary["batch_size_clamped"] and summary["steps"] == 2
    assert not run.outcomes[small.id].summary["batch_size_clamped"]


def test_cross_validation_reports_the_mean_over_folds():
    grid = {"batch_size": [16], "learning_rate": [0.01], "alpha": [1e-4]}
    data = [dataset("sklearn", "wine", task="classification")]
    plain = Run(block(data, ["svm"], grid, evaluate_every=5))
    folds = Run(block(data, ["svm"], grid, evaluate_every=5, split=SplitSpec(0.3, 3)))
    plain_loss = plain.metric(plain.units[0], "val_loss")
    cv_loss = folds.metric(folds.units[0], "val_loss")
    # 124 training rows; each of 3 folds trains on ~83: 6 steps, evaluated at 5 and 6.
    assert [s for s, _ in cv_loss] == [5, 6]
    assert [s for s, _ in plain_loss] == [5, 8]  # 8 batches of 16
    assert cv_loss[0][1] != plain_loss[0][1]  # validated on the folds, not on the test part


def test_memory_rule_stops_the_trials_whose_batch_exceeds_the_budget():
    # 28,000 training rows x 200 features: a full batch holds 45 MB; a batch of 1,000, 1.6 MB.
    data = [dataset("synthetic", "wide", rows=40000, features=200, task="regression")]
    grid = {"batch_size": [1000, 28000], "learning_rate": [1e-4], "alpha": [1e-4]}
    free = Run(block(data, ["linear_regression"], grid, evaluate_every=10, epochs=1))
    small, large = free.by_config("batch_size")[1000], free.by_config("batch_size")[28000]
    small_mb = max(v for _, v in free.metric(small, "memory_mb"))
    large_mb = max(v for _, v in free.metric(large, "memory_mb"))
    assert large_mb - small_mb > 30, "memory must grow with the batch"
    budget = (small_mb + large_mb) / 2
    ruled = Run(block(data, ["linear_regression"], grid, evaluate_every=10, epochs=1,
                      stop=Compare("memory_mb", ">", budget, LOC)))
    small, large = ruled.by_config("batch_size")[1000], ruled.by_config("batch_size")[28000]
    stopped, kept = ruled.outcomes[large.id].summary, ruled.outcomes[small.id].summary
    assert stopped["stop_reason"] == f"memory_mb > {budget:g}" and stopped["stopped_at_step"] == 1
    assert kept["stop_reason"] == "completed" and kept["stopped_at_step"] is None
    assert kept["steps"] == kept["total_steps"] == 28


def test_no_improvement_stops_a_diverging_trial_only():
    data = [dataset("synthetic", "line", rows=2000, features=10, task="regression", noise=1.0)]
    grid = {"batch_size": [20], "learning_rate": [0.001, 3.0], "alpha": [1e-4]}
    run = Run(block(data, ["linear_regression"], grid, epochs=2, evaluate_every=10,
                    stop=NoImprovement("val_loss", 3, 0.0, LOC)))
    steady, wild = run.by_config("learning_rate")[0.001], run.by_config("learning_rate")[3.0]
    stopped = run.outcomes[wild.id].summary
    assert stopped["stop_reason"] == "no_improvement(val_loss, evaluations = 3, min_delta = 0)"
    assert stopped["stopped_at_step"] == run.metric(wild, "val_loss")[-1][0] < stopped["total_steps"]
    assert run.outcomes[steady.id].summary["stop_reason"] == "completed"


def test_a_failing_unit_does_not_stop_the_others(tmp_path):
    data = [dataset("csv", "gone", path=str(tmp_path / "gone.csv"), target="y", task="regression"),
            dataset("sklearn", "diabetes", task="regression")]
    run = Run(block(data, ["linear_regression"], {"batch_size": [32], "learning_rate": [0.01], "alpha": [1e-4]}))
    by_name = {u.params["dataset"]["name"]: run.outcomes[u.id] for u in run.units}
    assert by_name["gone"].status == "failed" and "file not found" in by_name["gone"].error
    assert by_name["diabetes"].status == "done"


def test_unknown_metric_in_a_rule_fails_the_block_clearly():
    run = Run(block([dataset("sklearn", "iris")], ["svm"], {"batch_size": [8], "learning_rate": [0.1], "alpha": [1e-4]},
                    stop=Compare("memory", ">", 1, LOC)))
    (outcome,) = run.outcomes.values()
    assert outcome.status == "failed" and "unknown metric(s) memory" in outcome.error


def test_interrupted_run_launches_nothing():
    run = Run(block([dataset("sklearn", "iris")], ["svm"], {"batch_size": [8, 16], "learning_rate": [0.1], "alpha": [1e-4]}),
              stop_before=True)
    assert run.outcomes == {} and run.rows == {}


def test_ctrl_c_mid_run_ends_running_trials_unreported():
    data = [dataset("synthetic", "long", rows=20000, features=20, task="classification")]
    grid = {"batch_size": [4, 5, 6, 7], "learning_rate": [0.01], "alpha": [1e-4]}
    run = Run(block(data, ["svm"], grid, epochs=5, evaluate_every=20), stop_on_first_metrics=True)
    # Nothing ran to its end (each trial has ~17,500 steps): no outcome, so a resumed
    # run trains every unit again.
    assert run.rows and run.outcomes == {}
