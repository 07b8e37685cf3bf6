"""Data set loading: every kind, task inference, and errors that name what exists."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tuning_fixtures import dataset

from benchrun.tuning import DatasetError, load_dataset


def test_pmlb_from_the_shared_cache(pmlb_cache):
    diabetes = load_dataset(dataset("pmlb", "diabetes"), cache_dir=pmlb_cache)
    assert diabetes.X.shape == (768, 8) and diabetes.task == "classification"
    assert set(np.unique(diabetes.y)) == {1, 2}  # PMLB keeps the original labels
    pollen = load_dataset(dataset("pmlb", "529_pollen"), cache_dir=pmlb_cache)
    assert pollen.task == "regression" and pollen.X.shape[0] == 3848


def test_pmlb_cache_comes_from_the_environment(pmlb_cache, monkeypatch):
    monkeypatch.setenv("BENCHRUN_PMLB_CACHE", pmlb_cache)
    assert load_dataset({"kind": "pmlb", "name": "diabetes", "options": {}}).X.shape == (768, 8)


def test_unknown_pmlb_name_lists_the_cached_sets(pmlb_cache):
    with pytest.raises(DatasetError, match=r"no data set named 'diabets'.*diabetes.*mnist"):
        load_dataset(dataset("pmlb", "diabets"), cache_dir=pmlb_cache)


def test_sklearn_builtins_and_declared_task():
    iris = load_dataset(dataset("sklearn", "iris"))
    assert iris.task == "classification" and iris.X.shape == (150, 4)
    sugar = load_dataset(dataset("sklearn", "diabetes"))
    assert sugar.task == "regression" and sugar.y.dtype == np.float64
    with pytest.raises(DatasetError, match="choose one of iris, wine, breast_cancer"):
        load_dataset(dataset("sklearn", "titanic"))


def test_csv_and_parquet_with_a_named_target(tmp_path):
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [0.5, 0.1, 0.2, 0.3], "label": [0, 1, 0, 1]})
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    for kind in ("csv", "parquet"):
        data = load_dataset(dataset(kind, "d", path=str(tmp_path / f"d.{kind}"), target="label"))
        assert data.X.shape == (4, 2) and data.task == "classification"
        assert list(data.y) == [0, 1, 0, 1]


def test_csv_errors_name_the_file_or_the_columns(tmp_path):
    pd.DataFrame({"a": [1.0], "b": [2.0]}).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DatasetError, match="no target column 'y'; columns: a, b"):
        load_dataset(dataset("csv", "d", path=str(tmp_path / "d.csv"), target="y"))
    with pytest.raises(DatasetError, match="file not found: .*missing.csv"):
        load_dataset(dataset("csv", "m", path=str(tmp_path / "missing.csv"), target="y"))


def test_synthetic_is_seeded_and_sized():
    one = load_dataset(dataset("synthetic", "s1", rows=500, features=6, task="classification"))
    assert one.X.shape == (500, 6) and one.task == "classification"
    again = load_dataset(dataset("synthetic", "s1-again", rows=500, features=6, task="classification"))
    assert np.array_equal(one.X, again.X) and np.array_equal(one.y, again.y)
    other = load_dataset(dataset("synthetic", "s2", rows=500, features=6, task="classification", seed=1))
    assert not np.array_equal(one.X, other.X)


def test_a_subsample_is_fixed_stratified_and_in_file_order(tmp_path):
    labels = np.array([0] * 900 + [1] * 90 + [2] * 10)  # 90 %, 9 %, 1 %
    frame = pd.DataFrame({"row": np.arange(1000.0), "label": labels})
    frame.to_csv(tmp_path / "d.csv", index=False)
    whole = load_dataset(dataset("csv", "d", path=str(tmp_path / "d.csv"), target="label"))
    part = load_dataset(dataset("csv", "d-200", path=str(tmp_path / "d.csv"), target="label", rows=200))
    assert whole.X.shape == (1000, 1) and part.X.shape == (200, 1)
    assert sorted(np.bincount(part.y)) == [2, 18, 180]  # every class kept in its share
    kept = part.X[:, 0].astype(int)
    assert list(kept) == sorted(kept) and np.array_equal(labels[kept], part.y)  # real rows, in the file's order
    again = load_dataset(dataset("csv", "d-200-again", path=str(tmp_path / "d.csv"), target="label", rows=200))
    assert np.array_equal(part.X, again.X)  # the same rows for every trial and run
    more = load_dataset(dataset("csv", "d-5000", path=str(tmp_path / "d.csv"), target="label", rows=5000))
    assert more.X.shape == (1000, 1)  # more rows than the file: every row


def test_a_subsample_of_a_class_too_rare_to_stratify_is_drawn_plainly(tmp_path):
    labels = np.array([0] * 500 + [1] * 499 + [2])  # class 2 has one row: no stratified draw
    pd.DataFrame({"x": np.arange(1000.0), "label": labels}).to_csv(tmp_path / "d.csv", index=False)
    part = load_dataset(dataset("csv", "d", path=str(tmp_path / "d.csv"), target="label", rows=100))
    assert part.X.shape == (100, 1) and set(np.unique(part.y)) <= {0, 1, 2}
