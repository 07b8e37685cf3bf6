"""The three SGD algorithms of the study and how each one's loss is measured.

All are scikit-learn SGD estimators trained in mini-batches with `partial_fit`, a constant
learning rate (`eta0 = learning_rate`) and L2 regularisation `alpha`. The estimator never
shuffles (`shuffle=False`): the batch order comes from `batch_order`, a numpy Generator
seeded by the trial, so a trial is reproducible bit for bit.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.metrics import hinge_loss, log_loss

# algorithm -> (task type, SGD loss)
ALGORITHMS = {
    "linear_regression": ("regression", "squared_error"),
    "logistic_regression": ("classification", "log_loss"),
    "svm": ("classification", "hinge"),
}


class AlgorithmError(ValueError):
    pass


def task_of(algorithm: str) -> str:
    if algorithm not in ALGORITHMS:
        raise AlgorithmError(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
    return ALGORITHMS[algorithm][0]


def make_model(algorithm: str, learning_rate: float, alpha: float, seed: int) -> Any:
    task, loss = ALGORITHMS[algorithm]
    estimator = SGDRegressor if task == "regression" else SGDClassifier
    return estimator(
        loss=loss, penalty="l2", alpha=alpha, learning_rate="constant", eta0=learning_rate,
        shuffle=False, random_state=seed,
    )


def batch_order(rows: int, batch_size: int, seed: int) -> Iterator[np.ndarray]:
    """Row indices of each batch, epoch after epoch: a fresh permutation per epoch,
    cut into consecutive slices of `batch_size` (the last one may be shorter)."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(rows)
        for start in range(0, rows, batch_size):
            yield order[start : start + batch_size]


def loss(algorithm: str, model: Any, X: np.ndarray, y: np.ndarray) -> float:
    """The algorithm's own loss on (X, y): mean squared error, log loss or hinge loss."""
    return evaluate(algorithm, model, X, y)["loss"]


def evaluate(algorithm: str, model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Loss, and accuracy (classifiers) or RMSE (regressors), from one pass over X."""
    kind = ALGORITHMS[algorithm][1]
    if kind == "squared_error":
        mse = float(np.mean((model.predict(X) - y) ** 2))
        return {"loss": mse, "rmse": float(np.sqrt(mse))}
    if kind == "log_loss":
        proba = model.predict_proba(X)
        predicted = model.classes_[np.argmax(proba, axis=1)]  # what predict() answers
        return {"loss": float(log_loss(y, proba, labels=model.classes_)), "accuracy": float(np.mean(predicted == y))}
    scores = model.decision_function(X)
    predicted = model.classes_[(scores > 0).astype(int) if scores.ndim == 1 else np.argmax(scores, axis=1)]
    return {"loss": float(hinge_loss(y, scores, labels=model.classes_)), "accuracy": float(np.mean(predicted == y))}
