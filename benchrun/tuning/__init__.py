"""The tuning workload: SGD trials with system metrics, on Ray Tune or a local pool.

The Ray parts (`stoppers.RuleStopper`, `raytune`) are imported only when a block runs on
Ray, so the local executor and the loaders start without Ray's import cost.
"""
from benchrun.tuning.algorithms import ALGORITHMS, AlgorithmError, make_model
from benchrun.tuning.datasets import Dataset, DatasetError, load_dataset
from benchrun.tuning.rules import METRICS, RuleError, TrialRules, check_rule, rule_text
from benchrun.tuning.sampler import SystemSampler
from benchrun.tuning.trainable import Prepared, metric_rows, prepare, run_trial
from benchrun.tuning.workload import TuneWorkload

__all__ = [
    "ALGORITHMS",
    "METRICS",
    "AlgorithmError",
    "Dataset",
    "DatasetError",
    "Prepared",
    "RuleError",
    "SystemSampler",
    "TrialRules",
    "TuneWorkload",
    "check_rule",
    "load_dataset",
    "make_model",
    "metric_rows",
    "prepare",
    "rule_text",
    "run_trial",
]
