"""Data sets behind one loader: PMLB, scikit-learn built-ins, CSV/Parquet files, synthetic.

Each source is declared once in `DATASETS`: the options a spec gives it (`pmlb("name")`,
`csv("f.csv", target = "y")`), the names it knows when it has a fixed catalogue (checked
by `benchrun check`), the name a data set shows in results, and how it loads. A plugin
adds a source through the entry-point group `benchrun.datasets`.

`load_dataset` turns a `DatasetSpec` (or its plain-JSON form from a unit's params) into
a `Dataset` of float64 features and a target. The latest loaded data set is cached per
process, because one worker runs many trials on the same data and the large PMLB sets
(kddcup, mnist) take seconds to parse. pandas, pmlb and scikit-learn are imported when
a data set loads, not when a spec is checked.
"""
from __future__ import annotations

import csv
import importlib.util
import os
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from benchrun.errors import BenchrunError
from benchrun.jsonkey import canonical_json
from benchrun.registry import Entry, File, Int, Number, Option, Registry, Text, UnknownEntry, Word

PMLB_CACHE_ENV = "BENCHRUN_PMLB_CACHE"
# Where PMLB downloads are kept when neither the option nor the environment says.
DEFAULT_PMLB_CACHE = Path.home() / ".cache" / "benchrun" / "pmlb"
TASK_TYPES = ("regression", "classification")
# scikit-learn's built-in data sets and their task types
SKLEARN_TASKS = {
    "iris": "classification",
    "wine": "classification",
    "breast_cancer": "classification",
    "digits": "classification",
    "diabetes": "regression",
}
SKLEARN_SETS = tuple(SKLEARN_TASKS)
# An integer target with at most this many distinct values is a class label.
MAX_CLASSES = 100


class DatasetError(BenchrunError, ValueError):
    """A data set that cannot be loaded; the message says what exists instead."""


@attrs.frozen(eq=False)
class Dataset:
    X: np.ndarray  # (rows, features) float64
    y: np.ndarray  # (rows,) int64 labels or float64 values
    task: str  # "classification" or "regression"
    name: str


@attrs.frozen(kw_only=True)
class DatasetSource(Entry):
    """`load(name, options, cache_dir)` -> (X, y): the features and target, as numpy arrays
    (the task type and dtypes are settled by `load_dataset`). `options` are the spec's,
    `name` the data set's display name.
    `label(options)`: the display name of a data set not defined with a name of its own.
    `catalogue()`: name -> task type of every data set the source holds, when it has a
    fixed list (a name outside it is refused by `benchrun check`; an empty catalogue
    checks nothing); None: any name. Such a source takes its name as the option `name`.
    `task`: the task type of its data when neither the spec nor the catalogue says
    (None: inferred from the target when loaded)."""

    load: Callable[[str, dict[str, Any], str | None], tuple[np.ndarray, np.ndarray]]
    label: Callable[[dict[str, Any]], str]
    catalogue: Callable[[], dict[str, str]] | None = None
    task: str | None = None


def source(kind: str) -> DatasetSource:
    try:
        return DATASETS.get(kind)
    except UnknownEntry:
        raise DatasetError(DATASETS.unknown(kind)) from None


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
    if task not in (None, *TASK_TYPES):
        raise DatasetError(f"{name}: task must be classification or regression, not {task!r}")
    loader = source(kind)
    X, y = loader.load(name, options, cache_dir)
    task = task or loader.task or _infer_task(y)
    if loader.option("rows") is SUBSAMPLE and options.get("rows") is not None:  # not synthetic's own rows
        X, y = _subsample(X, y, int(options["rows"]), task)
    y = y.astype(np.int64) if task == "classification" else y.astype(np.float64)
    return Dataset(X=np.ascontiguousarray(X, dtype=np.float64), y=y, task=task, name=name)


def _subsample(X: np.ndarray, y: np.ndarray, rows: int, task: str) -> tuple[np.ndarray, np.ndarray]:
    """`rows` of the rows, drawn with a fixed seed (the same subsample for every trial and
    run), stratified by class when every class has the two members that needs."""
    if rows >= len(y):
        return X, y
    from sklearn.model_selection import train_test_split

    _, counts = np.unique(y, return_counts=True) if task == "classification" else (None, None)
    stratify = y if counts is not None and counts.min() >= 2 and rows >= len(counts) else None
    kept = train_test_split(np.arange(len(y)), train_size=rows, random_state=0, stratify=stratify)[0]
    kept.sort()  # the file's order, so nothing but the choice of rows depends on the draw
    return X[kept], y[kept]


def _infer_task(y: np.ndarray) -> str:
    integral = np.issubdtype(y.dtype, np.integer) or (
        np.issubdtype(y.dtype, np.floating) and np.all(np.mod(y, 1) == 0)
    )
    return "classification" if integral and len(np.unique(y)) <= MAX_CLASSES else "regression"


def _pmlb(label: str, options: dict[str, Any], cache_dir: str | None) -> tuple[np.ndarray, np.ndarray]:
    import pmlb

    name = options.get("name", label)
    cache_dir = options.get("cache") or cache_dir
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


def _sklearn(label: str, options: dict[str, Any], cache_dir: str | None) -> tuple[np.ndarray, np.ndarray]:
    name = options.get("name", label)
    if name not in SKLEARN_SETS:
        raise DatasetError(f"scikit-learn has no built-in data set {name!r}; choose one of {', '.join(SKLEARN_SETS)}")
    import sklearn.datasets

    return getattr(sklearn.datasets, f"load_{name}")(return_X_y=True)


def _table(kind: str, label: str, options: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    import pandas as pd

    path, target = options.get("path", label), options.get("target")
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


def _synthetic(name: str, options: dict[str, Any], cache_dir: str | None) -> tuple[np.ndarray, np.ndarray]:
    options = {**SYNTHETIC.defaults(), **options}
    rows, features = int(options.get("rows", 1000)), int(options.get("features", 10))
    task = options.get("task") or SYNTHETIC.task
    if rows < 2 or features < 1:
        raise DatasetError(f"{name}: synthetic data needs rows >= 2 and features >= 1")
    try:
        return _make(task, rows, features, int(options["seed"]), options)
    except ValueError as error:  # e.g. too many classes for the informative features
        raise DatasetError(f"{name}: cannot make synthetic data: {error}") from None


def _make(task: str | None, rows: int, features: int, seed: int, options: dict[str, Any]):
    from sklearn.datasets import make_classification, make_regression

    if task == "classification":
        informative = max(2, features // 2) if features >= 2 else 1
        X, y = make_classification(
            n_samples=rows, n_features=features, n_informative=min(informative, features),
            n_redundant=0, n_classes=int(options["classes"]), random_state=seed,
        )
        return X, y.astype(np.int64)
    return make_regression(n_samples=rows, n_features=features, noise=float(options["noise"]), random_state=seed)


@lru_cache(maxsize=1)
def pmlb_tasks() -> dict[str, str]:
    """PMLB data set name -> task type, from the summary table the pmlb package ships.

    Read directly (importing pmlb loads pandas, ~1 s); empty when pmlb is not installed,
    and then names are not checked before run time."""
    try:
        spec = importlib.util.find_spec("pmlb")
    except (ImportError, ValueError):
        return {}
    if spec is None or not spec.origin:
        return {}
    table = os.path.join(os.path.dirname(spec.origin), "all_summary_stats.tsv")
    try:
        with open(table, newline="") as f:
            return {row["dataset"]: row["task"] for row in csv.DictReader(f, delimiter="\t")}
    except (OSError, KeyError, csv.Error):
        return {}


# ---------------------------------------------------------------- the sources

TASK = Option("task", Word(TASK_TYPES), "the task type (default: the catalogue's, else inferred from the target)")
SUBSAMPLE = Option("rows", Int(2, 10**9), "use a random subsample of this many rows (drawn with a fixed seed, "
                   "stratified by class when every class has two rows); default: every row")


def _named(options: dict[str, Any]) -> str:
    return options["name"]


def _file_stem(options: dict[str, Any]) -> str:
    return os.path.basename(options["path"]).split(".")[0]


def _size(options: dict[str, Any]) -> str:
    return f"synthetic_{options['rows']}x{options['features']}"


PMLB = DatasetSource(
    name="pmlb", doc="a PMLB data set, from the local cache ($BENCHRUN_PMLB_CACHE, else ~/.cache/benchrun/pmlb; "
                     "downloaded into it when missing and the network allows)",
    options=(Option("name", Text(), "the PMLB name, e.g. 529_pollen", required=True, positional=True), TASK, SUBSAMPLE),
    load=_pmlb, label=_named, catalogue=pmlb_tasks)
SKLEARN = DatasetSource(
    name="sklearn", doc="one of scikit-learn's built-in data sets: " + ", ".join(SKLEARN_TASKS),
    options=(Option("name", Text(), "the data set's name", required=True, positional=True), TASK, SUBSAMPLE),
    load=_sklearn, label=_named, catalogue=lambda: SKLEARN_TASKS)
CSV = DatasetSource(
    name="csv", doc="a CSV file: every column but the target is a numeric feature; rows with missing values are dropped",
    options=(Option("path", File((".csv", ".csv.gz", ".tsv")), "the file, relative to the spec", required=True,
                    positional=True),
             Option("target", Text(), "the target column", required=True), TASK, SUBSAMPLE),
    load=lambda name, options, cache_dir: _table("csv", name, options), label=_file_stem)
PARQUET = DatasetSource(
    name="parquet", doc="a Parquet file, as csv",
    options=(Option("path", File((".parquet", ".pq")), "the file, relative to the spec", required=True, positional=True),
             Option("target", Text(), "the target column", required=True), TASK, SUBSAMPLE),
    load=lambda name, options, cache_dir: _table("parquet", name, options), label=_file_stem)
SYNTHETIC = DatasetSource(
    name="synthetic", doc="make_regression / make_classification, seeded; the stand-in for 1191_BNG_pbc",
    options=(Option("rows", Int(2, 10**9), "rows", required=True), Option("features", Int(1, 100_000), "features", required=True),
             TASK, Option("classes", Int(2, 1000), "classes (classification)", 2),
             Option("noise", Number(0.0), "noise (regression)", 10.0), Option("seed", Int(0), "the generator's seed", 0)),
    load=_synthetic, label=_size, task="regression")

DATASETS: Registry[DatasetSource] = Registry("datasets", "data set kind", DatasetSource, {
    "pmlb": "benchrun.tuning.datasets:PMLB",
    "sklearn": "benchrun.tuning.datasets:SKLEARN",
    "csv": "benchrun.tuning.datasets:CSV",
    "parquet": "benchrun.tuning.datasets:PARQUET",
    "synthetic": "benchrun.tuning.datasets:SYNTHETIC",
})
