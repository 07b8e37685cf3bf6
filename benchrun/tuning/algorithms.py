"""The SGD algorithms of the study, each declared once: its task type and its loss.

All are scikit-learn SGD estimators trained in mini-batches with `partial_fit`, a constant
learning rate (`eta0 = learning_rate`) and L2 regularisation `alpha`. The estimator never
shuffles (`shuffle=False`): the batch order comes from `batch_order`, a numpy Generator
seeded by the trial, so a trial is reproducible bit for bit.

`ALGORITHMS` is what a spec's `algorithms [...]` may name (the grammar checks against it,
and pairs each algorithm with the data sets of its task type); `HYPERPARAMETERS` what a
search space may set, with the value a trial uses when the space leaves one out.
scikit-learn is imported when a model is made, not when a spec is checked.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np

from benchrun.errors import BenchrunError
from benchrun.registry import Entry, Int, Number, Option, Registry, UnknownEntry

TASK_TYPES = ("regression", "classification")
# The losses the trainable knows how to step (`mean_gradient_step`) and measure (`loss`).
LOSSES = {"squared_error": "regression", "log_loss": "classification", "hinge": "classification"}


@attrs.frozen(kw_only=True)
class Algorithm(Entry):
    """`task`: the task type of the data sets it trains on (regression or classification).
    `loss`: scikit-learn's SGD loss (squared_error, log_loss or hinge), which is also the
    `train_loss` and `val_loss` a trial reports."""

    task: str
    loss: str

    def __attrs_post_init__(self) -> None:
        if LOSSES.get(self.loss) != self.task:
            raise ValueError(f"algorithm {self.name}: loss must be one of {', '.join(LOSSES)} and fit the task "
                             f"({self.task}), got {self.loss!r}")


LINEAR_REGRESSION = Algorithm(name="linear_regression", task="regression", loss="squared_error",
                              doc="SGDRegressor(loss=\"squared_error\"): mean squared error; quality rmse")
LOGISTIC_REGRESSION = Algorithm(name="logistic_regression", task="classification", loss="log_loss",
                                doc="SGDClassifier(loss=\"log_loss\"): log loss; quality accuracy")
SVM = Algorithm(name="svm", task="classification", loss="hinge",
                doc="SGDClassifier(loss=\"hinge\"): hinge loss (a linear SVM); quality accuracy")

ALGORITHMS: Registry[Algorithm] = Registry("algorithms", "algorithm", Algorithm, {
    "linear_regression": "benchrun.tuning.algorithms:LINEAR_REGRESSION",
    "logistic_regression": "benchrun.tuning.algorithms:LOGISTIC_REGRESSION",
    "svm": "benchrun.tuning.algorithms:SVM",
})
BUILTIN = (LINEAR_REGRESSION, LOGISTIC_REGRESSION, SVM)

# What a search space may set; a trial trains with the default of what it leaves out
# (scikit-learn's own defaults for alpha and eta0).
HYPERPARAMETERS = (
    Option("batch_size", Int(1, 10**8), "rows per training step", 32),
    Option("learning_rate", Number(1e-12, 100.0), "the constant learning rate (eta0)", 0.01),
    Option("alpha", Number(0.0, 1e6), "L2 regularisation", 1e-4),
)


class AlgorithmError(BenchrunError, ValueError):
    """An algorithm no registry entry has."""


def algorithm(name: str) -> Algorithm:
    try:
        return ALGORITHMS.get(name)
    except UnknownEntry:
        raise AlgorithmError(ALGORITHMS.unknown(name)) from None


def task_of(name: str) -> str:
    return algorithm(name).task


def fits(dataset: Any, name: str) -> bool:
    """A data set (a DatasetSpec) whose task type is declared pairs only with algorithms of
    that type; one whose type is known when loaded, with any."""
    task = dict(dataset.options).get("task")
    if task is None:
        return True
    try:
        return ALGORITHMS.get(name).task == task
    except UnknownEntry:
        return False


def make_model(name: str, learning_rate: float, alpha: float, seed: int) -> Any:
    from sklearn.linear_model import SGDClassifier, SGDRegressor

    entry = algorithm(name)
    estimator = SGDRegressor if entry.task == "regression" else SGDClassifier
    return estimator(
        loss=entry.loss, penalty="l2", alpha=alpha, learning_rate="constant", eta0=learning_rate,
        shuffle=False, random_state=seed,
    )


def mean_gradient_step(name: str, model: Any, X: np.ndarray, y: np.ndarray, classes: np.ndarray | None,
                       learning_rate: float, alpha: float) -> None:
    """One step of true mini-batch SGD (`updates per_batch`): the weights move once, along
    the mean over the batch of the gradient of the algorithm's loss, plus the L2 term.

    The same update scikit-learn's SGD makes per sample (dloss at the old weights, then
    w <- (1 - eta * alpha) w - eta * dloss * x; the intercept is not regularised), so
    a batch of one row reproduces `partial_fit`; multi-class problems are one-vs-rest, as
    there. The estimator's fitted attributes are set directly, so its predict methods
    (and `loss`, `evaluate`) work unchanged."""
    entry = algorithm(name)
    task, kind = entry.task, entry.loss
    if not hasattr(model, "coef_"):
        if task == "regression":
            width = 1
        elif classes is None:
            raise ValueError(f"{name}: a classifier's first step needs the classes")
        else:
            width = 1 if len(classes) == 2 else len(classes)
        model.coef_ = np.zeros(X.shape[1]) if task == "regression" else np.zeros((width, X.shape[1]))
        model.intercept_ = np.zeros(width if task != "regression" else 1)
        model.n_features_in_ = X.shape[1]
        if classes is not None:
            model.classes_ = np.asarray(classes)
    W = np.atleast_2d(model.coef_)
    if task == "regression":
        targets = y[:, None].astype(np.float64)
    elif len(model.classes_) == 2:
        targets = np.where(y == model.classes_[1], 1.0, -1.0)[:, None]
    else:
        targets = np.where(y[:, None] == model.classes_[None, :], 1.0, -1.0)
    margins = X @ W.T + model.intercept_
    if kind == "squared_error":
        dloss = margins - targets
    elif kind == "log_loss":
        dloss = -targets / (np.exp(np.clip(targets * margins, -700, 700)) + 1.0)
    else:  # hinge
        dloss = np.where(targets * margins < 1.0, -targets, 0.0)
    W_new = (1.0 - learning_rate * alpha) * W - learning_rate * (dloss.T @ X) / len(y)
    model.intercept_ = model.intercept_ - learning_rate * dloss.mean(axis=0)
    model.coef_ = W_new.ravel() if task == "regression" else W_new
    if not np.all(np.isfinite(model.coef_)):  # as scikit-learn does: the trial diverged
        raise ValueError("Floating-point under-/overflow occurred at a mean-gradient step. Try a smaller learning rate")


def batch_order(rows: int, batch_size: int, seed: int) -> Iterator[np.ndarray]:
    """Row indices of each batch, epoch after epoch: a fresh permutation per epoch,
    cut into consecutive slices of `batch_size` (the last one may be shorter)."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(rows)
        for start in range(0, rows, batch_size):
            yield order[start : start + batch_size]


def loss(name: str, model: Any, X: np.ndarray, y: np.ndarray) -> float:
    """The algorithm's own loss on (X, y): mean squared error, log loss or hinge loss.

    scikit-learn's `log_loss` and `hinge_loss` written out in numpy: the same numbers
    without their input checks, which cost milliseconds per call — more than a small
    batch's training step, and the training loss is computed every step."""
    kind = algorithm(name).loss
    if kind == "squared_error":
        return float(np.mean((model.predict(X) - y) ** 2))
    truth = np.searchsorted(model.classes_, y)  # column of each row's class
    rows = np.arange(len(y))
    if kind == "log_loss":
        proba = model.predict_proba(X)
        eps = np.finfo(proba.dtype).eps
        return float(-np.mean(np.log(np.clip(proba[rows, truth], eps, 1 - eps))))
    scores = model.decision_function(X)
    if scores.ndim == 1:  # binary: the margin of the +1/-1 label
        margin = np.where(truth == 1, scores, -scores)
    else:  # multi-class (Crammer-Singer): own score minus the best other score
        others = scores.copy()
        others[rows, truth] = -np.inf
        margin = scores[rows, truth] - others.max(axis=1)
    return float(np.mean(np.maximum(0.0, 1.0 - margin)))


def evaluate(name: str, model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """The loss, and accuracy (classifiers) or RMSE (regressors)."""
    value = loss(name, model, X, y)
    if algorithm(name).task == "regression":
        return {"loss": value, "rmse": float(np.sqrt(value))}
    return {"loss": value, "accuracy": float(np.mean(model.predict(X) == y))}
