"""mlflow-track-cancer-boosting: one run in experiment 'cancer-boosting' of the ./mlruns
file store with PARAMS as params, the dataset tag, accuracy and roc_auc, the feature
importances as a JSON artifact, and a model that predicts like the script's."""
import math
import os
import sys

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 refuses the file store otherwise

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "roc_auc")}

import mlflow.artifacts
import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from sklearn.ensemble import GradientBoostingClassifier

sys.path.insert(0, ".original")
from data import load_split  # the unmodified helper module

EXPERIMENT = "cancer-boosting"
PARAMS = {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 2, "subsample": 0.8, "random_state": 0}

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
for name, value in PARAMS.items():
    if name not in params:
        fail(f"param {name!r} not logged (params: {sorted(params)})")
    if not math.isclose(float(params[name]), value):
        fail(f"param {name} is {params[name]!r}, expected {value}")
if run.data.tags.get("dataset") != "breast_cancer":
    fail(f"run tag 'dataset' is {run.data.tags.get('dataset')!r}, expected 'breast_cancer'")
for name, value in printed.items():
    logged = run.data.metrics.get(name)
    if logged is None:
        fail(f"metric {name!r} not logged (metrics: {sorted(run.data.metrics)})")
    if not math.isclose(logged, value, abs_tol=6e-5):
        fail(f"metric {name} is {logged}, the program printed {value}")

X_train, X_test, y_train, y_test = load_split()
expected = GradientBoostingClassifier(**PARAMS).fit(X_train, y_train)

mlflow.set_tracking_uri(uri)
try:
    importances = mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/feature_importances.json")
except Exception as exc:
    fail(f"cannot read the artifact feature_importances.json of the run: {exc}")
if not isinstance(importances, dict) or set(importances) != set(X_train.columns):
    fail("feature_importances.json does not map every feature name to a value")
for name, value in zip(X_train.columns, expected.feature_importances_):
    if not math.isclose(float(importances[name]), value, rel_tol=1e-6, abs_tol=1e-9):
        fail(f"importance of {name!r} is {importances[name]}, the model's is {value}")

try:
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
except Exception as exc:
    fail(f"cannot load the model logged as 'model' in the run: {exc}")
if not np.allclose(model.predict_proba(X_test), expected.predict_proba(X_test)):
    fail("the logged model does not predict like the script's GradientBoostingClassifier")
print("ok")
