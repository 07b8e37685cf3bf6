"""Data sets behind one loader: PMLB, scikit-learn built-ins, CSV/Parquet files, synthetic.

`load_dataset` turns a `DatasetSpec` (or its plain-JSON form from a unit's params) into
a `Dataset` of float64 features and a target. The latest loaded data set is cached per
process, because one worker runs many trials on the same data and the large PMLB sets
(kddcup, mnist) take seconds to parse.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from benchrun.engine.units import canonical_json

PMLB_CACHE_ENV = "BENCHRUN_PMLB_CACHE"
# Where PMLB downloads are kept when neither the option nor the environment says.
DEFAULT_PMLB_CACHE = Path.home() / ".cache" / "benchrun" / "pmlb"
SKLEARN_SETS = ("iris", "wine", "breast_cancer", "diabetes", "digits")
# An integer target with at most this many distinct values is a class label.
MAX_CLASSES = 100


class DatasetError(ValueError):
    """A data set that cannot be loaded; the message says what exists instead."""


@attrs.frozen(eq=False)
class Dataset:
    X: np.ndarray  # (rows, features) float64
    y: np.ndarray  # (rows,) int64 labels or float64 values
    task: str  # "classification" or "regression"
    name: str


_CACHE: dict[str, Dataset] = {}


def load_dataset(spec: Any, cache_dir: str | None = None) -> Dataset:
    """Load a data set from a `DatasetSpec` or a dict {kind, name, options}."""
    kind, name, options = _fields(spec)
    key = canonical_json({"kind": kind, "name": name, "options": options, "cache": cache_dir})
    if key not in _CACHE:
        _CACHE.clear()  # one data set at a time: a worker keeps no other trials' data
        _CACHE[key] = _load(kind, name, options, cache_dir)
    return _CACHE[key]


def _fields(spec: Any) -> tuple[str, str, dict[str, Any]]:
    if isinstance(spec, dict):
        return spec["kind"], spec["name"], dict(spec.get("options") or {})
    return spec.kind, spec.name, dict(spec.options)


def _load(kind: str, name: str, options: dict[str, Any], cache_dir: str | None) -> Dataset:
    task = options.get("task")
    if task not in (None, "classification", "regression"):
        raise DatasetError(f"{name}: task must be classification or regression, not {task!r}")
    if kind == "pmlb":
        X, y = _pmlb(options.get("name", name), options.get("cache") or cache_dir)
    elif kind == "sklearn":
        X, y = _sklearn(options.get("name", name))
    elif kind in ("csv", "parquet"):
        X, y = _table(kind, options.get("path", name), options.get("target"))
    elif kind == "synthetic":
        return _synthetic(name, options)
    else:
        raise DatasetError(f"unknown data set kind {kind!r}: use pmlb, sklearn, csv, parquet or synthetic")
    task = task or _infer_task(y)
    y = y.astype(np.int64) if task == "classification" else y.astype(np.float64)
    return Dataset(X=np.ascontiguousarray(X, dtype=np.float64), y=y, task=task, name=name)


def _infer_task(y: np.ndarray) -> str:
    integral = np.issubdtype(y.dtype, np.integer) or (
        np.issubdtype(y.dtype, np.floating) and np.all(np.mod(y, 1) == 0)
    )
    return "classification" if integral and len(np.unique(y)) <= MAX_CLASSES else "regression"


def _pmlb(name: str, cache_dir: str | None) -> tuple[np.ndarray, np.ndarray]:
    import pmlb

    cache_dir = cache_dir or os.environ.get(PMLB_CACHE_ENV) or str(DEFAULT_PMLB_CACHE)
    if not (Path(cache_dir) / name / f"{name}.tsv.gz").exists() and name not in pmlb.dataset_names:
        cached = ", ".join(_cached_pmlb(cache_dir)) or "none"
        raise DatasetError(f"PMLB has no data set named {name!r} (cached in {cache_dir}: {cached})")
    try:
        with warnings.catch_warnings():  # pmlb's own pandas deprecation noise
            warnings.simplefilter("ignore")
            frame = pmlb.fetch_data(name, local_cache_dir=cache_dir)
    except Exception as error:  # noqa: BLE001 - network down, cache not writable, ...
        raise DatasetError(
            f"PMLB data set {name!r} is not in the cache {cache_dir} (set {PMLB_CACHE_ENV} to another) "
            f"and could not be downloaded: {error}"
        ) from None
    return frame.drop(columns="target").to_numpy(), frame["target"].to_numpy()


def _cached_pmlb(cache_dir: str) -> list[str]:
    root = Path(cache_dir)
    return sorted(p.name for p in root.iterdir() if (p / f"{p.name}.tsv.gz").exists()) if root.is_dir() else []


def _sklearn(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name not in SKLEARN_SETS:
        raise DatasetError(f"scikit-learn has no built-in data set {name!r}; choose one of {', '.join(SKLEARN_SETS)}")
    import sklearn.datasets

    return getattr(sklearn.datasets, f"load_{name}")(return_X_y=True)


def _table(kind: str, path: str, target: str | None) -> tuple[np.ndarray, np.ndarray]:
    import pandas as pd

    if not Path(path).is_file():
        raise DatasetError(f"{kind} file not found: {path}")
    try:
        frame = pd.read_csv(path) if kind == "csv" else pd.read_parquet(path)
    except Exception as error:  # noqa: BLE001 - any parser complaint is the user's file
        raise DatasetError(f"cannot read {kind} file {path}: {error}") from None
    columns = ", ".join(map(str, frame.columns))
    if target is None:
        raise DatasetError(f"{path}: say which column is the target (target = \"...\"); columns: {columns}")
    if target not in frame.columns:
        raise DatasetError(f"{path}: no target column {target!r}; columns: {columns}")
    features = frame.drop(columns=target)
    non_numeric = [str(c) for c in features.columns if not np.issubdtype(features[c].dtype, np.number)]
    if non_numeric:
        raise DatasetError(f"{path}: feature columns must be numeric; these are not: {', '.join(non_numeric)}")
    frame = frame.dropna()
    return frame.drop(columns=target).to_numpy(), frame[target].to_numpy()


def _synthetic(name: str, options: dict[str, Any]) -> Dataset:
    rows, features = int(options.get("rows", 1000)), int(options.get("features", 10))
    task = options.get("task") or "regression"
    seed = int(options.get("seed", 0))
    if rows < 2 or features < 1:
        raise DatasetError(f"{name}: synthetic data needs rows >= 2 and features >= 1")
    try:
        X, y = _make(task, rows, features, seed, options)
    except ValueError as error:  # e.g. too many classes for the informative features
        raise DatasetError(f"{name}: cannot make synthetic data: {error}") from None
    return Dataset(X=np.ascontiguousarray(X, dtype=np.float64), y=y, task=task, name=name)


def _make(task: str, rows: int, features: int, seed: int, options: dict[str, Any]):
    from sklearn.datasets import make_classification, make_regression

    if task == "classification":
        informative = max(2, features // 2) if features >= 2 else 1
        X, y = make_classification(
            n_samples=rows, n_features=features, n_informative=min(informative, features),
            n_redundant=0, n_classes=int(options.get("classes", 2)), random_state=seed,
        )
        return X, y.astype(np.int64)
    return make_regression(n_samples=rows, n_features=features, noise=float(options.get("noise", 10.0)), random_state=seed)
