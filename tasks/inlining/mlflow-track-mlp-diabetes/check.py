"""mlflow-track-mlp-diabetes: one run in experiment 'diabetes-mlp' of the ./mlruns file
store with the trainer's hyperparameters, the per-epoch loss and val_r2 history (as
printed), the final r2 and a model that scores what the program printed."""
import math
import os
import re
import sys

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 refuses the file store otherwise

from benchcheck import assert_same_score, fail, original_output, program_output, require_success

require_success()
printed = assert_same_score("r2")

EPOCH_LINE = re.compile(r"epoch (\d+): loss=([-\d.]+) val_r2=([-\d.]+)")
original_epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != original_epochs:
    fail("the per-epoch lines differ from the original program's")

import mlflow.sklearn
from mlflow import MlflowClient

EXPERIMENT = "diabetes-mlp"

if not os.path.isdir("mlruns"):
    fail("no MLflow file store at ./mlruns")
uri = "file:" + os.path.abspath("mlruns")
client = MlflowClient(tracking_uri=uri)
experiment = client.get_experiment_by_name(EXPERIMENT)
if experiment is None:
    fail(f"no experiment named {EXPERIMENT!r} in ./mlruns")
runs = client.search_runs([experiment.experiment_id])
if len(runs) != 1:
    fail(f"expected one run in {EXPERIMENT!r}, found {len(runs)}")
run = runs[0]
if run.info.status != "FINISHED":
    fail(f"the run is {run.info.status}, not FINISHED")

params = run.data.params
for name, value in {"learning_rate_init": 0.005, "epochs": 12}.items():
    if name not in params:
        fail(f"param {name!r} not logged (params: {sorted(params)})")
    if not math.isclose(float(params[name]), value):
        fail(f"param {name} is {params[name]!r}, expected {value}")
if re.findall(r"\d+", params.get("hidden_layer_sizes", "")) != ["32", "16"]:
    fail(f"param hidden_layer_sizes is {params.get('hidden_layer_sizes')!r}, expected (32, 16)")

for column, metric, tolerance in ((1, "loss", 6e-6), (2, "val_r2", 6e-5)):
    history = sorted(client.get_metric_history(run.info.run_id, metric), key=lambda m: m.step)
    steps = [m.step for m in history]
    expected_steps = [int(e[0]) for e in original_epochs]
    if steps != expected_steps:
        fail(f"metric {metric} has steps {steps}, expected one per epoch: {expected_steps}")
    for m, line in zip(history, original_epochs):
        if not math.isclose(m.value, float(line[column]), abs_tol=tolerance):
            fail(f"{metric} at step {m.step} is {m.value}, the program printed {line[column]}")

if not math.isclose(run.data.metrics.get("r2", math.nan), printed, abs_tol=6e-5):
    fail(f"metric r2 is {run.data.metrics.get('r2')}, the program printed {printed}")

mlflow.set_tracking_uri(uri)
try:
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
except Exception as exc:
    fail(f"cannot load the model logged as 'model' in the run: {exc}")

sys.path.insert(0, ".original")
from train import DiabetesTrainer  # the unmodified program's data preparation

X_train, X_val, y_train, y_val = DiabetesTrainer().load()
if not math.isclose(model.score(X_val, y_val), printed, abs_tol=6e-5):
    fail(f"the logged model scores r2 {model.score(X_val, y_val):.4f} on the validation split, "
         f"the program printed {printed}")
print("ok")
