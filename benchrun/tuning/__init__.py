"""The tuning workload: SGD trials with system metrics, on Ray Tune or a local pool.

It owns the `tune` block kind end to end (`block.TUNE`): the block's checks, its units
(`plan`), the workloads that run them, and how `benchrun plan` shows it. Every part a
spec can name is declared once in a registry next to its implementation: `metrics`,
`algorithms`, `datasets` (sources), `search` (methods), `rules` (stop rules written as
calls) and `executors`.

Names are loaded on first use, so `import benchrun.tuning.block` (what `benchrun check`
needs) imports neither scikit-learn, Optuna nor Ray. The Ray parts
(`stoppers.RuleStopper`, `raytune`) are imported only when a block runs on Ray.
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ALGORITHMS": "benchrun.tuning.algorithms",
    "AlgorithmError": "benchrun.tuning.algorithms",
    "make_model": "benchrun.tuning.algorithms",
    "DATASETS": "benchrun.tuning.datasets",
    "Dataset": "benchrun.tuning.datasets",
    "DatasetError": "benchrun.tuning.datasets",
    "load_dataset": "benchrun.tuning.datasets",
    "METRICS": "benchrun.tuning.metrics",
    "RULES": "benchrun.tuning.rules",
    "RuleError": "benchrun.tuning.rules",
    "TrialRules": "benchrun.tuning.rules",
    "check_rule": "benchrun.tuning.rules",
    "rule_text": "benchrun.tuning.rules",
    "SEARCHES": "benchrun.tuning.search",
    "EXECUTORS": "benchrun.tuning.executors",
    "SystemSampler": "benchrun.tuning.sampler",
    "Prepared": "benchrun.tuning.trainable",
    "TrialError": "benchrun.tuning.trainable",
    "metric_rows": "benchrun.tuning.trainable",
    "prepare": "benchrun.tuning.trainable",
    "run_trial": "benchrun.tuning.trainable",
    "TuneWorkload": "benchrun.tuning.workload",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
