"""`updates per_batch`: one step along the batch's mean gradient, against scikit-learn's
per-sample `partial_fit` (the default, `updates per_sample`)."""
from __future__ import annotations

import attrs
import pytest
from tuning_fixtures import Run, block, dataset

WINE = dataset("sklearn", "wine", task="classification")  # 3 classes: one-vs-rest
DIABETES = dataset("sklearn", "diabetes", task="regression")


def final_losses(data, algorithm, batch_sizes, updates, learning_rate=0.01):
    tune = block([data], [algorithm], {"batch_size": batch_sizes, "learning_rate": [learning_rate], "alpha": [1e-3]},
                 epochs=2, evaluate_every=1000)
    run = Run(attrs.evolve(tune, updates=updates))
    assert all(o.status == "done" for o in run.outcomes.values())
    return {u.params["config"]["batch_size"]: run.outcomes[u.id].summary["val_loss"] for u in run.units}, run


@pytest.mark.parametrize("data, algorithm", [(DIABETES, "linear_regression"), (WINE, "logistic_regression"), (WINE, "svm")])
def test_a_mean_gradient_step_on_one_row_is_scikit_learns_per_sample_update(data, algorithm):
    per_batch, run = final_losses(data, algorithm, [1], "per_batch")
    per_sample, _ = final_losses(data, algorithm, [1], "per_sample")
    assert per_batch[1] == pytest.approx(per_sample[1], rel=1e-9)
    assert all(u.params["updates"] == "per_batch" for u in run.units)


def test_batch_size_changes_the_model_only_with_per_batch_updates():
    per_sample, _ = final_losses(WINE, "logistic_regression", [8, 64], "per_sample")
    per_batch, _ = final_losses(WINE, "logistic_regression", [8, 64], "per_batch")
    # partial_fit makes the same per-sample updates whatever the batch size ...
    assert per_sample[8] == pytest.approx(per_sample[64], rel=1e-12)
    # ... mean-gradient steps do not: 8x fewer, larger steps at batch 64.
    assert abs(per_batch[8] - per_batch[64]) > 0.01
