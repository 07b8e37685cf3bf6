"""mlflow-track-iris-logreg: one run in experiment 'iris-logreg' of the ./mlruns file
store with params C and max_iter, the metric accuracy, and a model that predicts like the
script's model."""
import math
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 refuses the file store otherwise

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = assert_same_score("accuracy")

import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

EXPERIMENT = "iris-logreg"

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
for name, value in {"C": 0.5, "max_iter": 300}.items():
    if name not in params:
        fail(f"param {name!r} not logged (params: {sorted(params)})")
    if not math.isclose(float(params[name]), value):
        fail(f"param {name} is {params[name]!r}, expected {value}")

metrics = run.data.metrics
if "accuracy" not in metrics:
    fail(f"metric 'accuracy' not logged (metrics: {sorted(metrics)})")
if not math.isclose(metrics["accuracy"], printed, abs_tol=6e-5):
    fail(f"metric accuracy is {metrics['accuracy']}, the program printed {printed}")

mlflow.set_tracking_uri(uri)
try:
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
except Exception as exc:
    fail(f"cannot load the model logged as 'model' in the run: {exc}")

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42, stratify=y)
expected = LogisticRegression(C=0.5, max_iter=300).fit(X_train, y_train)
if not np.array_equal(model.predict(X_test), expected.predict(X_test)):
    fail("the logged model does not predict like the script's LogisticRegression")
if not math.isclose(float((model.predict(X_test) == y_test).mean()), printed, abs_tol=6e-5):
    fail("the logged model's test accuracy differs from the printed accuracy")
print("ok")
