"""mlflow-track-svc-pipeline: one run in experiment 'synthetic-svc' of the ./mlruns file
store with C, gamma, kernel, the three scores, and a model with a signature of the 12
input features that predicts like the script's pipeline."""
import math
import os
import sys

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 refuses the file store otherwise

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "precision", "recall")}

import mlflow.models
import mlflow.pyfunc
import numpy as np
from mlflow import MlflowClient

sys.path.insert(0, ".original")
from train import SVCExperiment  # the unmodified program's data and pipeline

EXPERIMENT = "synthetic-svc"

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
for name, value in {"C": "2.0", "gamma": "scale", "kernel": "rbf"}.items():
    if params.get(name) != value:
        fail(f"param {name} is {params.get(name)!r}, expected {value!r}")
for name, value in printed.items():
    logged = run.data.metrics.get(name)
    if logged is None:
        fail(f"metric {name!r} not logged (metrics: {sorted(run.data.metrics)})")
    if not math.isclose(logged, value, abs_tol=6e-5):
        fail(f"metric {name} is {logged}, the program printed {value}")

mlflow.set_tracking_uri(uri)
model_uri = f"runs:/{run.info.run_id}/model"
try:
    info = mlflow.models.get_model_info(model_uri)
    model = mlflow.pyfunc.load_model(model_uri)
except Exception as exc:
    fail(f"cannot load the model logged as 'model' in the run: {exc}")
if info.signature is None or info.signature.inputs is None:
    fail("the logged model has no signature")
shapes = [getattr(spec, "shape", None) for spec in info.signature.inputs.inputs]
columns = len(info.signature.inputs.inputs)
if not (columns == 12 or (columns == 1 and shapes[0] is not None and shapes[0][-1] == 12)):
    fail(f"the signature's inputs do not describe the 12 features: {info.signature.inputs}")

experiment_data = SVCExperiment()
expected = experiment_data.build().fit(experiment_data.X_train, experiment_data.y_train)
X_test = experiment_data.X_test
if not np.array_equal(np.asarray(model.predict(X_test)).ravel(), expected.predict(X_test)):
    fail("the logged model does not predict like the script's pipeline")
print("ok")
