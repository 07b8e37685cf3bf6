"""wandb-track-kfold-cancer: one offline W&B run of project 'cancer-cv' in group 'logreg'
whose config holds the pipeline settings and n_splits, whose history has one row per fold
with accuracy and auc as printed, and whose summary holds the mean and std accuracy."""
import math
import re

from benchcheck import (
    assert_same_score, fail, original_output, program_output, require_success, wandb_offline_run,
)


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and math.isclose(a, b, abs_tol=tolerance)


require_success()
printed = {name: assert_same_score(name) for name in ("mean_accuracy", "std_accuracy")}
FOLD_LINE = re.compile(r"fold (\d+): accuracy=([\d.]+) auc=([\d.]+)")
folds = FOLD_LINE.findall(original_output())
if FOLD_LINE.findall(program_output()) != folds:
    fail("the per-fold lines differ from the original program's")

run = wandb_offline_run()
config, summary, history = run["config"], run["summary"], run["history"]
if run["project"] != "cancer-cv" or run["group"] != "logreg":
    fail(f"the run is in project {run['project']!r}, group {run['group']!r}; "
         "expected project 'cancer-cv', group 'logreg'")
if run["exit_code"] is None:
    fail("the run was not finished (no exit record): call run.finish()")
expected_config = {"C": 0.3, "penalty": "l2", "max_iter": 500, "n_splits": 5}
if config != expected_config:
    fail(f"config is {config}, expected {expected_config}")

if len(history) != len(folds):
    fail(f"expected {len(folds)} history rows (one per fold), found {len(history)}")
for row, (fold, accuracy, auc) in zip(history, folds):
    if row.get("fold") != int(fold):
        fail(f"history row {row.get('_step')} has fold {row.get('fold')}, expected {fold}")
    if not close(row.get("accuracy"), float(accuracy), 6e-5) or not close(row.get("auc"), float(auc), 6e-5):
        fail(f"history of fold {fold} is accuracy={row.get('accuracy')} auc={row.get('auc')}, "
             f"the program printed accuracy={accuracy} auc={auc}")

for name, value in printed.items():
    if not close(summary.get(name), value, 6e-5):
        fail(f"summary {name} is {summary.get(name)}, the program printed {value}")
print("ok")
