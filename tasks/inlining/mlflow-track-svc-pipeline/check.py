"""mlflow-track-svc-pipeline: one run in experiment 'synthetic-svc' of the ./mlruns file
store with C, gamma, kernel, the three scores, and a model with a signature of the 12
input features that predicts like the script's pipeline."""

from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model, mlflow_single_run, require_success,
)

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "precision", "recall")}

import mlflow.models
import numpy as np

from train import SVCExperiment  # the unmodified program's data and pipeline

EXPERIMENT = "synthetic-svc"

client, run = mlflow_single_run(EXPERIMENT)
assert_run_params(run, {"C": "2.0", "gamma": "scale", "kernel": "rbf"})
assert_run_metrics(run, printed)

model_uri = f"runs:/{run.info.run_id}/model"
model = mlflow_model(model_uri, "pyfunc", "the model logged as 'model' in the run")
try:
    info = mlflow.models.get_model_info(model_uri)
except Exception as exc:
    fail(f"cannot read the model info of the model logged as 'model' in the run: {exc}")
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
