"""mlflow-track-cancer-boosting: one run in experiment 'cancer-boosting' of the ./mlruns
file store with PARAMS as params, the dataset tag, accuracy and roc_auc, the feature
importances as a JSON artifact, and a model that predicts like the script's."""
import math

from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model, mlflow_single_run, require_success,
)

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "roc_auc")}

import mlflow.artifacts
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

from data import load_split  # the unmodified helper module

EXPERIMENT = "cancer-boosting"
PARAMS = {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 2, "subsample": 0.8, "random_state": 0}

client, run = mlflow_single_run(EXPERIMENT)
assert_run_params(run, PARAMS)
if run.data.tags.get("dataset") != "breast_cancer":
    fail(f"run tag 'dataset' is {run.data.tags.get('dataset')!r}, expected 'breast_cancer'")
assert_run_metrics(run, printed)

X_train, X_test, y_train, y_test = load_split()
expected = GradientBoostingClassifier(**PARAMS).fit(X_train, y_train)

try:
    importances = mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/feature_importances.json")
except Exception as exc:
    fail(f"cannot read the artifact feature_importances.json of the run: {exc}")
if not isinstance(importances, dict) or set(importances) != set(X_train.columns):
    fail("feature_importances.json does not map every feature name to a value")
for name, value in zip(X_train.columns, expected.feature_importances_):
    if not math.isclose(float(importances[name]), value, rel_tol=1e-6, abs_tol=1e-9):
        fail(f"importance of {name!r} is {importances[name]}, the model's is {value}")

model = mlflow_model(f"runs:/{run.info.run_id}/model", "sklearn", "the model logged as 'model' in the run")
if not np.allclose(model.predict_proba(X_test), expected.predict_proba(X_test)):
    fail("the logged model does not predict like the script's GradientBoostingClassifier")
print("ok")
