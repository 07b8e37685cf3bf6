"""mlflow-track-sgd-digits: one run in experiment 'digits-sgd' of the ./mlruns file store
with the hyperparameters, the full per-epoch history of train/val accuracy (as printed),
the final accuracy and a model that scores what the program printed."""
import math
import re

from benchcheck import (
    assert_metric_history, assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model,
    mlflow_single_run, original_output, program_output, require_success,
)

require_success()
printed = assert_same_score("accuracy")

EPOCH_LINE = re.compile(r"epoch (\d+): train_accuracy=([\d.]+) val_accuracy=([\d.]+)")
original_epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != original_epochs:
    fail("the per-epoch lines differ from the original program's")

EXPERIMENT = "digits-sgd"

client, run = mlflow_single_run(EXPERIMENT)
assert_run_params(run, {"alpha": 1e-4, "eta0": 0.01, "epochs": 8})
for column, metric in ((1, "train_accuracy"), (2, "val_accuracy")):
    assert_metric_history(client, run, metric, [(e[0], e[column]) for e in original_epochs])
assert_run_metrics(run, {"accuracy": printed})

model = mlflow_model(f"runs:/{run.info.run_id}/model", "sklearn", "the model logged as 'model' in the run")

from train import load_data  # the unmodified program's data preparation

X_train, X_val, y_train, y_val = load_data()
if not math.isclose(model.score(X_val, y_val), printed, abs_tol=6e-5):
    fail(f"the logged model scores {model.score(X_val, y_val):.4f} on the validation split, "
         f"the program printed {printed}")
print("ok")
