"""Helpers for a task's check.py, which runs in the judge (sandboxes/judge_runner.py):
a flat package served from memory there, whole (every module of this folder), so it
imports the standard library only; the helpers for W&B, DVC, git, Optuna, ONNX and MLflow
import their library when called.

    from benchcheck import program_rc, program_output, original_output, score, assert_same_score, fail

The check runs in a copy of the dir the candidate program left, after that program and all
its processes ended. What the program printed and its exit code, and what the unmodified
program printed (run once per task from a pristine copy), come from the judge, never from
files the program could have written: it sets `_JUDGE` in `judge`, the module that reads
it. Artefacts that must be unpickled (joblib, pickle, MLflow models) are loaded by
`load_artifact` / `mlflow_model` in a separate process that hands back only plain values
and arrays: unpickling runs code, never in the judge.

    judge       fail, the program's, its `after` commands' and the original's run, score,
                assert_same_score
    wandb       offline W&B runs
    dvc         DVC projects, stages and artefacts; git history
    pipelines   multi-stage DVC pipelines, their params and DVC experiments
    optuna      Optuna studies and the whole check of an Optuna task
    studies     Optuna studies beyond one TPE objective: pruning, other samplers, several objectives
    onnx        ONNX exports against the scikit-learn model
    mlflow      MLflow runs, registry and models
    artifacts   the out-of-process loader (load_artifact, Remote) and skops
    untrusted   SQLite and YAML parsed in that loader (installed by the judge, not imported here)
    humaneval   HumanEval's plain data, signed records and replay
    feeds       the files a task's `after` commands fed the program (monitoring, validation)
    monitoring  alarms on exactly the drifted batches
    validation  faulty files refused, valid ones trained on

Modules import each other relatively, and only `judge` and `artifacts` are imported by
others (no cycles). Every public name is re-exported here: checks import from `benchcheck`.
"""
from __future__ import annotations

from .artifacts import LOADER_TIMEOUT_S, Remote, load_artifact
from .dvc import (
    assert_dvc_tracked,
    assert_dvc_up_to_date,
    assert_never_in_git,
    dvc_artifact,
    dvc_repo,
    dvc_stage,
    git_files,
)
from .feeds import Fed, fed_files, names, printed
from .humaneval import CALLS_FILE, CALLS_MARK, humaneval_replay, plain, recorded_calls, unplain
from .judge import (
    after_run,
    assert_same_score,
    entry,
    fail,
    harness_key,
    original_output,
    program_errors,
    program_output,
    program_rc,
    require_after_success,
    require_success,
    score,
)
from .mlflow import (
    assert_metric_history,
    assert_run_metrics,
    assert_run_params,
    mlflow_file_store,
    mlflow_model,
    mlflow_runs,
    mlflow_single_run,
    mlflow_sqlite_registry,
    registered_model,
    single_model_version,
)
from .monitoring import assert_alarms
from .onnx import assert_same_classifier, assert_same_regressor, onnx_outputs
from .optuna import check_optuna_task, optuna_study, printed_best_params, same_params, tpe_replay
from .pipelines import (
    check_experiments,
    check_probe,
    check_workspace,
    declared_plots,
    dvc_csv,
    dvc_experiments,
    dvc_metrics,
    dvc_params,
    require_curve,
    require_pipeline,
    require_plots,
    upstream_stages,
)
from .studies import (
    journal_storage,
    load_any_study,
    pareto_numbers,
    printed_list,
    require_constraints,
    require_curves,
    require_directions,
    require_pareto_front,
    require_pruned_by,
    require_sampled_by,
    require_values,
    sampler_replay,
    sorted_trials,
    stored_constraints,
)
from .validation import assert_validation, faulty_columns
from .wandb import wandb_offline_artifacts, wandb_offline_run, wandb_offline_runs

__all__ = [
    # judge
    "fail", "program_rc", "program_output", "program_errors", "require_success", "entry", "after_run",
    "require_after_success",
    "original_output", "score", "assert_same_score", "harness_key",
    # wandb
    "wandb_offline_runs", "wandb_offline_run", "wandb_offline_artifacts",
    # dvc
    "dvc_artifact", "dvc_repo", "assert_dvc_tracked", "dvc_stage", "assert_dvc_up_to_date",
    "git_files", "assert_never_in_git",
    # optuna
    "tpe_replay", "same_params", "printed_best_params", "optuna_study", "check_optuna_task",
    # pipelines
    "require_pipeline", "upstream_stages", "dvc_params", "dvc_metrics", "dvc_experiments", "check_experiments",
    "check_probe", "check_workspace", "declared_plots", "require_plots", "dvc_csv", "require_curve",
    # studies
    "load_any_study", "journal_storage", "sorted_trials", "sampler_replay", "require_sampled_by", "require_curves",
    "require_pruned_by", "require_directions", "require_values", "pareto_numbers", "require_pareto_front",
    "stored_constraints", "require_constraints", "printed_list",
    # onnx
    "onnx_outputs", "assert_same_classifier", "assert_same_regressor",
    # mlflow
    "mlflow_file_store", "mlflow_runs", "mlflow_single_run", "assert_run_params", "assert_run_metrics",
    "assert_metric_history", "mlflow_model", "mlflow_sqlite_registry", "registered_model",
    "single_model_version",
    # artifacts
    "LOADER_TIMEOUT_S", "Remote", "load_artifact",
    # humaneval
    "CALLS_FILE", "CALLS_MARK", "plain", "unplain", "recorded_calls", "humaneval_replay",
    # feeds, monitoring, validation
    "Fed", "fed_files", "printed", "names", "assert_alarms", "assert_validation", "faulty_columns",
]

# ONNX weights by stored type (quantised and float16 models)
from .onnx import onnx_weight_types  # noqa: E402

__all__ += ["onnx_weight_types"]
# Graded values a check reports with its verdict (judge.measure): stored per sample, never deciding it.
from .judge import measure  # noqa: E402

__all__ += ["measure"]
from .graded import measure_onnx_model, onnx_seconds, seconds_per_call  # noqa: E402

__all__ += ["seconds_per_call", "onnx_seconds", "measure_onnx_model"]
from .serving import (  # noqa: E402
    assert_rejects_malformed,
    assert_serves_model,
    client_command,
    served_predictions,
)

__all__ += ["client_command", "served_predictions", "assert_serves_model", "assert_rejects_malformed"]
from .mlflow_serving import assert_same_outputs, assert_serves_outputs, run_logged_model  # noqa: E402

__all__ += ["run_logged_model", "assert_same_outputs", "assert_serves_outputs"]
