"""Cross-validation without leakage, and the held-out evaluation of the chosen configuration."""
from __future__ import annotations

import json

import duckdb
import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from tuning_fixtures import Run, block, dataset

from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec
from benchrun.reports.named import find_report, report_dirs, run_report
from benchrun.tuning.datasets import Dataset
from benchrun.tuning.spec import SplitSpec
from benchrun.tuning.trainable import _prepare

SEED = 7
SPLIT = {"test": 0.3, "cv": 3}


def test_no_fold_sees_statistics_of_its_validation_rows():
    X, y = load_breast_cancer(return_X_y=True)
    data = _prepare(Dataset(X, y, "classification", "bc"), SPLIT, SEED)
    # Which original rows fold 0 validates on: the split depends on the labels only.
    train_index, _ = train_test_split(np.arange(len(y)), test_size=0.3, random_state=SEED, stratify=y)
    fold0 = data.folds[0]
    assert not set(fold0.train_rows) & set(fold0.val_rows)
    changed = X.copy()
    changed[train_index[fold0.val_rows]] *= 1000.0  # wild values in fold 0's validation rows only
    again = _prepare(Dataset(changed, y, "classification", "bc"), SPLIT, SEED)
    # Fold 0's scaler is untouched; the other folds train on those rows, so theirs move.
    assert np.array_equal(again.folds[0].mean, fold0.mean) and np.array_equal(again.folds[0].scale, fold0.scale)
    assert not np.allclose(again.folds[1].mean, data.folds[1].mean)
    # Each fold's scaler is its own training rows' statistics, not the whole part's.
    for fold in data.folds:
        assert np.allclose(fold.mean, data.X_train_raw[fold.train_rows].mean(axis=0))
        assert np.allclose(fold.scale, data.X_train_raw[fold.train_rows].std(axis=0))
        assert not np.allclose(fold.mean, data.X_train_raw.mean(axis=0))


SPEC = """
tune "cv" {
  datasets    [sklearn("breast_cancer")]
  algorithms  [logistic_regression]
  split       test = 0.3, cv = 3
  grid {
    batch_size    = [16]
    learning_rate = [0.0001, 0.01]
    alpha         = [0.0001]
  }
  epochs      2
  evaluate    every 5 steps
  executor    local(max_concurrent = 2)
  seed        7
  metric      accuracy max
}
"""


def test_the_chosen_configuration_is_evaluated_once_on_the_held_out_part(tmp_path):
    spec = tmp_path / "cv.bench"
    spec.write_text(SPEC)
    db = tmp_path / "cv.duckdb"
    summary = run_plan(build_plan(load_spec(spec)), db)
    assert summary.status == "finished" and summary.done == 3, summary.error  # 2 trials + 1 holdout
    with duckdb.connect(str(db), read_only=True) as con:
        trials = {uid: json.loads(s) for uid, s in con.execute(
            "SELECT unit_id, summary FROM units WHERE kind = 'trial'").fetchall()}
        (holdout_id, held), = [(uid, json.loads(s)) for uid, s in con.execute(
            "SELECT unit_id, summary FROM units WHERE kind = 'holdout'").fetchall()]
        metrics = dict(con.execute("SELECT name, value FROM metrics WHERE unit_id = ?", [holdout_id]).fetchall())
    # The best fold-mean accuracy (a max metric) chooses the configuration.
    best = max(trials, key=lambda uid: trials[uid]["best_value"])
    assert held["chosen_unit"] == best and held["config"] == trials[best]["config"]
    assert held["cv_accuracy"] == trials[best]["best_value"]
    assert set(metrics) == {"test_loss", "test_accuracy"} and metrics["test_accuracy"] == held["test_accuracy"]
    # It is the chosen configuration trained on the whole training part, validated on the 30 %:
    # the same figure as that configuration's trial without cross-validation.
    plain = Run(block([dataset("sklearn", "breast_cancer", task="classification")], ["logistic_regression"],
                      {"batch_size": [16], "learning_rate": [held["config"]["learning_rate"]], "alpha": [1e-4]},
                      epochs=2, evaluate_every=5, seed=SEED, split=SplitSpec(0.3, 0)))
    (outcome,) = plain.outcomes.values()
    assert held["test_loss"] == pytest.approx(outcome.summary["val_loss"], abs=1e-12)
    assert held["test_accuracy"] == pytest.approx(outcome.summary["accuracy"], abs=1e-12)
    # `benchrun report tuning` shows it.
    with duckdb.connect(str(db), read_only=True) as con:
        (row,) = next(rows for statement, _, rows in run_report(con, find_report("tuning", report_dirs()))
                      if statement.title.startswith("held-out test"))
    assert row[1:3] == ("breast_cancer", "logistic_regression") and row[7] == round(held["test_accuracy"], 4)
