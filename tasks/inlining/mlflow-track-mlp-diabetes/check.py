"""mlflow-track-mlp-diabetes: one run in experiment 'diabetes-mlp' of the ./mlruns file
store with the trainer's hyperparameters, the per-epoch loss and val_r2 history (as
printed), the final r2 and a model that scores what the program printed."""
import math
import re

from benchcheck import (
    assert_metric_history, assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model,
    mlflow_single_run, original_output, program_output, require_success,
)

require_success()
printed = assert_same_score("r2")

EPOCH_LINE = re.compile(r"epoch (\d+): loss=([-\d.]+) val_r2=([-\d.]+)")
original_epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != original_epochs:
    fail("the per-epoch lines differ from the original program's")

EXPERIMENT = "diabetes-mlp"

client, run = mlflow_single_run(EXPERIMENT)
assert_run_params(run, {"learning_rate_init": 0.005, "epochs": 12})
params = run.data.params
if re.findall(r"\d+", params.get("hidden_layer_sizes", "")) != ["32", "16"]:
    fail(f"param hidden_layer_sizes is {params.get('hidden_layer_sizes')!r}, expected (32, 16)")

for column, metric, tolerance in ((1, "loss", 6e-6), (2, "val_r2", 6e-5)):
    assert_metric_history(client, run, metric, [(e[0], e[column]) for e in original_epochs], tolerance)
assert_run_metrics(run, {"r2": printed})

model = mlflow_model(f"runs:/{run.info.run_id}/model", "sklearn", "the model logged as 'model' in the run")

from train import DiabetesTrainer  # the unmodified program's data preparation

X_train, X_val, y_train, y_val = DiabetesTrainer().load()
if not math.isclose(model.score(X_val, y_val), printed, abs_tol=6e-5):
    fail(f"the logged model scores r2 {model.score(X_val, y_val):.4f} on the validation split, "
         f"the program printed {printed}")
print("ok")
