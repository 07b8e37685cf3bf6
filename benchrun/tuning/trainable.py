"""One tuning trial, the same function for every executor.

Protocol (after Lempinen): a seeded 70/30 train/test split (stratified for
classification), features standardised with a scaler fit on the training part, or with
k-fold cross-validation on the training part, per fold with a scaler fit on that fold's
training rows; then `epochs` passes of mini-batch SGD. Every step records the training
loss of its batch; every `evaluate_every` steps (and at the last step) the trial
evaluates validation loss and accuracy or RMSE (the fold mean), the mean wall and CPU
time of a step since the previous evaluation, its CPU %, its own memory and its worker's,
and the machine's load, and hands that result to `on_result`, which may answer with a
reason to stop.
"""
from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.preprocessing import StandardScaler

from benchrun.errors import BenchrunError
from benchrun.jsonkey import canonical_json
from benchrun.tuning.algorithms import BUILTIN, batch_order, evaluate, loss, make_model, mean_gradient_step, task_of
from benchrun.tuning.datasets import load_dataset
from benchrun.tuning.sampler import SystemSampler

# Metrics logged at each evaluation, when present in the result (train_loss is logged per
# step; step and epoch are where a row is). Each is declared in benchrun.tuning.metrics.
EVALUATION_METRICS = (
    "val_loss", "accuracy", "rmse", "step_time_ms", "cpu_step_ms", "cpu_pct", "cpu_time_s", "memory_mb", "worker_memory_mb",
    "load_avg", "train_time_s", "wall_time_s",
)

OnResult = Callable[[dict[str, Any]], "str | None"]


class TrialError(BenchrunError, ValueError):
    """A trial that cannot run as configured (wrong task type, ...)."""


@attrs.frozen(eq=False)
class Fold:
    """One cross-validation fold: rows into the training part, and the scaler fit on
    its own training rows only, so no statistic of its validation rows reaches it."""

    train_rows: np.ndarray
    val_rows: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def scaled(self, X_raw: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return (X_raw[rows] - self.mean) / self.scale  # what StandardScaler.transform computes


@attrs.frozen(eq=False)
class Prepared:
    """A data set split once, shared by every trial that uses the same data set, split
    and seed. `X_train` and `X_test` are scaled by a scaler fit on the whole training
    part (the held-out 30 % only ever transformed). With cross-validation, `X_train_raw`
    is the unscaled training part and each fold scales its own rows; else `folds` is
    empty and `X_train_raw` None."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str
    classes: np.ndarray | None
    folds: tuple[Fold, ...] = ()
    X_train_raw: np.ndarray | None = None


_PREPARED: dict[str, Prepared] = {}


def data_key(params: dict[str, Any]) -> str:
    """Trials with equal keys share one prepared (split, scaled) data set."""
    return canonical_json([params["dataset"], params["split"], params["seed"]])


def prepare(dataset: dict[str, Any], split: dict[str, Any], seed: int, cache_dir: str | None = None) -> Prepared:
    """The split data set, kept for the worker's next trial on the same data; only the
    latest one is kept, so a worker holds no data of trials it no longer runs."""
    key = canonical_json([dataset, split, seed, cache_dir])
    if key not in _PREPARED:
        _PREPARED.clear()
        _PREPARED[key] = _prepare(load_dataset(dataset, cache_dir), split, seed)
    return _PREPARED[key]


def _prepare(data, split: dict[str, Any], seed: int) -> Prepared:
    classification = data.task == "classification"
    _, counts = np.unique(data.y, return_counts=True) if classification else (None, None)
    # Stratify whenever every class has the two members a stratified split needs.
    stratify = data.y if classification and counts.min() >= 2 else None
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=split.get("test", 0.3), random_state=seed, stratify=stratify
    )
    scaler = StandardScaler().fit(X_train)
    folds: list[Fold] = []
    cv = int(split.get("cv") or 0)
    if cv > 1:
        splitter = (StratifiedKFold if stratify is not None else KFold)(n_splits=cv, shuffle=True, random_state=seed)
        for rows, val_rows in splitter.split(X_train, y_train if stratify is not None else None):
            fold_scaler = StandardScaler().fit(X_train[rows])
            folds.append(Fold(rows, val_rows, fold_scaler.mean_, fold_scaler.scale_))
    return Prepared(
        X_train=scaler.transform(X_train), y_train=y_train, X_test=scaler.transform(X_test), y_test=y_test,
        task=data.task, classes=np.unique(data.y) if classification else None, folds=tuple(folds),
        X_train_raw=X_train if folds else None,
    )


class _Learner:
    """One model and the rows it trains and validates on: the whole training part and
    the held-out part, or one fold's rows, scaled by that fold's own scaler."""

    def __init__(self, algorithm: str, config: dict[str, Any], data: Prepared, fold: Fold | None, batch_size: int, seed: int,
                 per_batch: bool = False):
        self.algorithm, self.data, self.fold = algorithm, data, fold
        self.config, self.per_batch = config, per_batch
        self.model = make_model(algorithm, config["learning_rate"], config["alpha"], seed)
        if fold is None:
            self.val = (data.X_test, data.y_test)
        else:
            self.val = (fold.scaled(data.X_train_raw, fold.val_rows), data.y_train[fold.val_rows])
        size = len(data.y_train) if fold is None else len(fold.train_rows)
        self.batches = batch_order(size, batch_size, seed)
        self.batch = None

    def step(self) -> None:
        index = next(self.batches)
        if self.fold is None:
            X = self.data.X_train[index]
        else:
            index = self.fold.train_rows[index]
            X = self.fold.scaled(self.data.X_train_raw, index)
        y = self.data.y_train[index]
        if self.per_batch:
            mean_gradient_step(self.algorithm, self.model, X, y, self.data.classes,
                               self.config["learning_rate"], self.config["alpha"])
        elif self.data.classes is None:
            self.model.partial_fit(X, y)
        else:
            self.model.partial_fit(X, y, classes=self.data.classes)
        # Keep the batch until the next step: it is part of the working set the sampler sees.
        self.batch = (X, y)

    def batch_loss(self) -> float:
        return loss(self.algorithm, self.model, *self.batch)

    def evaluate(self) -> dict[str, float]:
        scores = evaluate(self.algorithm, self.model, *self.val)
        return {"val_loss": scores.pop("loss"), **scores}


def run_trial(params: dict[str, Any], data: Prepared, on_result: OnResult, sample_system: bool = True) -> dict[str, Any]:
    """Train one configuration; return its summary. `params` are a trial unit's params;
    `config` must hold learning_rate and alpha and batch_size."""
    config = params["config"]
    train_rows, batch_size = batch_plan(params, data)
    _warm_up()
    sampler = SystemSampler() if sample_system else None  # its baseline: before the trial allocates anything
    start = time.perf_counter()
    learners = make_learners(params, data, batch_size)
    steps_per_epoch = math.ceil(train_rows / batch_size)
    total_steps = int(params["epochs"]) * steps_per_epoch
    every = max(1, int(params["evaluate_every"]))
    objective, larger = params.get("metric", "val_loss"), params.get("mode", "min") == "max"

    train_time = interval_time = interval_cpu = train_cpu = 0.0
    steps: list[int] = []
    losses: list[float] = []
    best = peak_memory = peak_worker = None
    loads: list[float] = []
    result: dict[str, Any] = {}
    stop_reason, stopped_at = "completed", None
    for step in range(1, total_steps + 1):
        try:
            began, began_cpu = time.perf_counter(), time.process_time()
            for learner in learners:
                learner.step()
            # the training itself, not the loss below; CPU time of the whole process, so a
            # step's BLAS threads count too (with cpus_per_trial > 1)
            elapsed, elapsed_cpu = time.perf_counter() - began, time.process_time() - began_cpu
            batch_loss = sum(learner.batch_loss() for learner in learners) / len(learners)
        except ValueError as error:  # SGD's weights overflowed: the configuration diverged
            stop_reason, stopped_at = _diverged(error), step
            break
        train_time += elapsed
        interval_time += elapsed
        train_cpu += elapsed_cpu
        interval_cpu += elapsed_cpu
        steps.append(step)
        losses.append(batch_loss)
        if step % every and step != total_steps:
            continue
        try:
            result = _mean([learner.evaluate() for learner in learners])
        except ValueError as error:  # non-finite predictions
            stop_reason, stopped_at = _diverged(error), step
            break
        result.update(step=step, epoch=math.ceil(step / steps_per_epoch), train_steps=steps, train_losses=losses, train_loss=batch_loss)
        result["step_time_ms"] = 1000.0 * interval_time / len(steps)
        result["cpu_step_ms"] = 1000.0 * interval_cpu / len(steps)
        if sampler:
            result.update(sampler.sample())
            peak_memory = max(peak_memory or 0.0, result["memory_mb"])
            peak_worker = max(peak_worker or 0.0, result["worker_memory_mb"])
            loads.append(result["load_avg"])
        value = result.get(objective)
        if value is not None and not math.isnan(value) and (best is None or (value > best if larger else value < best)):
            best = value
        result.update(
            train_time_s=train_time, wall_time_s=time.perf_counter() - start, best_value=best,
            peak_memory_mb=peak_memory, peak_worker_memory_mb=peak_worker, train_cpu_s=train_cpu,
            mean_load_avg=sum(loads) / len(loads) if loads else None, cpus=os.cpu_count(),
            total_steps=total_steps, batch_size=batch_size, finished=step == total_steps,
        )
        steps, losses, interval_time, interval_cpu = [], [], 0.0, 0.0
        reason = on_result(result)
        if reason:
            stop_reason, stopped_at = reason, step
            break
    known = {"total_steps": total_steps, "batch_size": batch_size, **result}  # also when nothing was evaluated
    return summarize(known, stop_reason, stopped_at, config)


def batch_plan(params: dict[str, Any], data: Prepared) -> tuple[int, int]:
    """(training rows of the smallest fold or of the whole training part, the batch size
    used): a batch larger than the rows is clamped to them (grids go "up to the data size")."""
    algorithm = params["algorithm"]
    if task_of(algorithm) != data.task:
        raise TrialError(f"{algorithm} needs a {task_of(algorithm)} data set; {params['dataset']['name']} is {data.task}")
    train_rows = min(len(data.y_train) if fold is None else len(fold.train_rows) for fold in data.folds or (None,))
    return train_rows, min(int(params["config"]["batch_size"]), train_rows)


def make_learners(params: dict[str, Any], data: Prepared, batch_size: int) -> list[_Learner]:
    """One learner per cross-validation fold (one in all without cv): what a step trains."""
    per_batch = params.get("updates") == "per_batch"
    return [_Learner(params["algorithm"], params["config"], data, fold, batch_size, int(params["seed"]), per_batch)
            for fold in data.folds or (None,)]


_WARM = False


def _warm_up() -> None:
    """Once per process, train and evaluate every algorithm on a few rows, so that what
    the first trial in a process would allocate once (scikit-learn's lazy imports and
    caches) is in the memory baseline, as it is for every later trial."""
    global _WARM
    if _WARM:
        return
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 3))
    for entry in BUILTIN:
        y = X[:, 0] if entry.task == "regression" else np.arange(8) % 2
        model = make_model(entry.name, 0.01, 1e-4, 0)
        model.partial_fit(X, y) if entry.task == "regression" else model.partial_fit(X, y, classes=np.array([0, 1]))
        evaluate(entry.name, model, X, y)
    _WARM = True


def _diverged(error: ValueError) -> str:
    """`diverged: ` and the first sentence of scikit-learn's complaint."""
    return f"diverged: {str(error).split('. ')[0]}"


def _mean(evaluations: list[dict[str, float]]) -> dict[str, float]:
    """Mean of each validation metric across cross-validation folds."""
    return {name: float(np.mean([e[name] for e in evaluations])) for name in evaluations[0]}


def summarize(last: dict[str, Any], stop_reason: str, stopped_at: int | None, config: dict[str, Any]) -> dict[str, Any]:
    """The unit summary from a trial's last reported result and the configuration it trained."""
    requested_batch = int(config.get("batch_size", 0))
    summary = {
        "config": dict(config),  # as trained: an adaptive search's proposal (see feed.Feed), not its index
        "stop_reason": stop_reason,
        "stopped_at_step": stopped_at,
        "steps": stopped_at or last.get("step", 0),
        "total_steps": last.get("total_steps"),
        "best_value": last.get("best_value"),
        "peak_memory_mb": last.get("peak_memory_mb"),
        "batch_size": last.get("batch_size", requested_batch),
        "batch_size_clamped": last.get("batch_size", requested_batch) != requested_batch,
    }
    for name in ("val_loss", "accuracy", "rmse", "train_time_s", "train_cpu_s", "wall_time_s", "cpu_time_s",
                 "peak_worker_memory_mb", "mean_load_avg", "cpus"):
        if last.get(name) is not None:
            summary[name] = last[name]
    return summary


def metric_rows(result: dict[str, Any]) -> list[tuple[int, str, float]]:
    """The rows one reported result adds to the metrics table."""
    rows = [(int(s), "train_loss", float(v)) for s, v in zip(result.get("train_steps", ()), result.get("train_losses", ()))]
    step = int(result["step"])
    rows += [(step, name, float(result[name])) for name in EVALUATION_METRICS if result.get(name) is not None]
    return rows
