"""mlflow-track-sgd-digits: one run in experiment 'digits-sgd' of the ./mlruns file store
with the hyperparameters, the full per-epoch history of train/val accuracy (as printed),
the final accuracy and a model that scores what the program printed."""
import math
import os
import re
import sys

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 refuses the file store otherwise

from benchcheck import assert_same_score, fail, original_output, program_output, require_success

require_success()
printed = assert_same_score("accuracy")

EPOCH_LINE = re.compile(r"epoch (\d+): train_accuracy=([\d.]+) val_accuracy=([\d.]+)")
original_epochs = EPOCH_LINE.findall(original_output())
if EPOCH_LINE.findall(program_output()) != original_epochs:
    fail("the per-epoch lines differ from the original program's")

import mlflow.sklearn
from mlflow import MlflowClient

EXPERIMENT = "digits-sgd"

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
for name, value in {"alpha": 1e-4, "eta0": 0.01, "epochs": 8}.items():
    if name not in params:
        fail(f"param {name!r} not logged (params: {sorted(params)})")
    if not math.isclose(float(params[name]), value):
        fail(f"param {name} is {params[name]!r}, expected {value}")

for column, metric in ((1, "train_accuracy"), (2, "val_accuracy")):
    history = sorted(client.get_metric_history(run.info.run_id, metric), key=lambda m: m.step)
    steps = [m.step for m in history]
    expected_steps = [int(e[0]) for e in original_epochs]
    if steps != expected_steps:
        fail(f"metric {metric} has steps {steps}, expected one per epoch: {expected_steps}")
    for m, line in zip(history, original_epochs):
        if not math.isclose(m.value, float(line[column]), abs_tol=6e-5):
            fail(f"{metric} at step {m.step} is {m.value}, the program printed {line[column]}")

if not math.isclose(run.data.metrics.get("accuracy", math.nan), printed, abs_tol=6e-5):
    fail(f"metric accuracy is {run.data.metrics.get('accuracy')}, the program printed {printed}")

mlflow.set_tracking_uri(uri)
try:
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
except Exception as exc:
    fail(f"cannot load the model logged as 'model' in the run: {exc}")

sys.path.insert(0, ".original")
from train import load_data  # the unmodified program's data preparation

X_train, X_val, y_train, y_val = load_data()
if not math.isclose(model.score(X_val, y_val), printed, abs_tol=6e-5):
    fail(f"the logged model scores {model.score(X_val, y_val):.4f} on the validation split, "
         f"the program printed {printed}")
print("ok")
