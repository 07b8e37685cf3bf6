"""What a tune block may name: algorithms, hyperparameters, metrics and known data sets."""
from __future__ import annotations

import csv
import importlib.util
import os
from functools import lru_cache

TASK_TYPES = ("regression", "classification")

# algorithm -> the task type it trains on (as in benchrun.tuning.algorithms)
ALGORITHMS = {
    "linear_regression": "regression",
    "logistic_regression": "classification",
    "svm": "classification",
}

# hyperparameter -> (kind, low, high): what the SGD trainable reads from a configuration
PARAMS = {
    "batch_size": ("int", 1, 10**8),
    "learning_rate": ("number", 1e-12, 100.0),
    "alpha": ("number", 0.0, 1e6),
}

# metric -> its unit; a duration or size compared with a metric is converted to it
METRICS = {
    "memory_mb": "MiB",  # resident memory minus shared, in MiB
    "step_time_ms": "ms",
    "cpu_pct": "%",
    "wall_time_s": "s",
    "train_loss": "",
    "val_loss": "",
    "accuracy": "",
    "rmse": "",
    "step": "",
    "epoch": "",
}

SKLEARN_TASKS = {
    "iris": "classification",
    "wine": "classification",
    "breast_cancer": "classification",
    "digits": "classification",
    "diabetes": "regression",
}


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
