"""mlflow-registry-wine-cli-metadata: the SQLite registry ./mlflow.db holds
'wine-extra-trees' (the CLI defaults) with its description and tags owner and dataset, one
version aliased 'candidate' described by its accuracy and tagged n_estimators, logged by a
FINISHED run with the params and accuracy, and predicting like the script's model."""
import math
import re

import numpy as np
from sklearn.datasets import load_wine
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split

from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry,
    require_success, single_model_version,
)

NAME, ALIAS = "wine-extra-trees", "candidate"
DESCRIPTION = "Extra-trees classifier for the wine cultivars"

require_success()  # the program ran to the end, before anything else
accuracy = assert_same_score("accuracy")

client = mlflow_sqlite_registry("mlflow.db", hint=" (the default of --tracking-uri)")
registered, version = single_model_version(client, NAME, ALIAS)
if (registered.description or "").strip() != DESCRIPTION:
    fail(f"the registered model's description is {registered.description!r}, expected {DESCRIPTION!r}")
expected_tags = {"owner": "vision-team", "dataset": "wine"}
if {k: registered.tags.get(k) for k in expected_tags} != expected_tags:
    fail(f"the registered model's tags are {registered.tags}, expected {expected_tags}")
match = re.fullmatch(r"accuracy=([0-9.]+)", (version.description or "").strip())
if not match or not math.isclose(float(match.group(1)), accuracy, abs_tol=6e-5):
    fail(f"version 1's description is {version.description!r}, expected 'accuracy={accuracy:.4f}'")
if version.tags.get("n_estimators") != "120":
    fail(f"version 1's tag n_estimators is {version.tags.get('n_estimators')!r}, expected '120'")

if not version.run_id:
    fail("version 1 is not linked to the MLflow run that logged it")
run = client.get_run(version.run_id)
if run.info.status != "FINISHED":
    fail(f"the version's run is {run.info.status}, not FINISHED")
assert_run_params(run, {"n_estimators": 120, "max_depth": 5})
assert_run_metrics(run, {"accuracy": accuracy})

X, y = load_wine(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=17, stratify=y)
expected = ExtraTreesClassifier(n_estimators=120, max_depth=5, random_state=17).fit(X_train, y_train)
model = mlflow_model(f"models:/{NAME}@{ALIAS}", "pyfunc")
if not np.array_equal(np.asarray(model.predict(X_test)).ravel(), expected.predict(X_test)):
    fail(f"models:/{NAME}@{ALIAS} does not predict like the script's classifier")
print("ok")
