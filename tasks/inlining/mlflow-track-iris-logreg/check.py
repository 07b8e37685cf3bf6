"""mlflow-track-iris-logreg: one run in experiment 'iris-logreg' of the ./mlruns file
store with params C and max_iter, the metric accuracy, and a model that predicts like the
script's model."""
import math

from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model, mlflow_single_run, require_success,
)

require_success()
printed = assert_same_score("accuracy")

import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

EXPERIMENT = "iris-logreg"

client, run = mlflow_single_run(EXPERIMENT)
assert_run_params(run, {"C": 0.5, "max_iter": 300})
assert_run_metrics(run, {"accuracy": printed})

model = mlflow_model(f"runs:/{run.info.run_id}/model", "sklearn", "the model logged as 'model' in the run")

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=42, stratify=y)
expected = LogisticRegression(C=0.5, max_iter=300).fit(X_train, y_train)
if not np.array_equal(model.predict(X_test), expected.predict(X_test)):
    fail("the logged model does not predict like the script's LogisticRegression")
if not math.isclose(float((model.predict(X_test) == y_test).mean()), printed, abs_tol=6e-5):
    fail("the logged model's test accuracy differs from the printed accuracy")
print("ok")
