"""mlflow-registry-cancer-hgb: the SQLite registry ./mlflow.db holds 'cancer-hgb' tagged
task=binary-classification, with one described version aliased 'champion' whose run logged
the printed metrics, and which predicts like the script's classifier."""
import math
import os
import sys

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "log_loss")}

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

sys.path.insert(0, ".original")
from train import CancerClassifier  # the unmodified program's model and split

NAME, ALIAS = "cancer-hgb", "champion"
DESCRIPTION = "HistGradientBoostingClassifier, 60 iterations"

if not os.path.isfile("mlflow.db"):
    fail("no SQLite MLflow database at ./mlflow.db")
db = "sqlite:///" + os.path.abspath("mlflow.db")
mlflow.set_tracking_uri(db)
client = MlflowClient(tracking_uri=db, registry_uri=db)
try:
    registered = client.get_registered_model(NAME)
except MlflowException as exc:
    fail(f"no registered model {NAME!r} in ./mlflow.db: {exc.message}")
if registered.tags.get("task") != "binary-classification":
    fail(f"the registered model's tag task is {registered.tags.get('task')!r}, expected 'binary-classification'")
versions = client.search_model_versions(f"name='{NAME}'")
if [str(v.version) for v in versions] != ["1"]:
    fail(f"expected exactly version 1 of {NAME!r}, found {[str(v.version) for v in versions]}")
if str(registered.aliases.get(ALIAS)) != "1":
    fail(f"alias {ALIAS!r} points to {registered.aliases.get(ALIAS)!r}, expected version 1")
version = client.get_model_version_by_alias(NAME, ALIAS)
if (version.description or "").strip() != DESCRIPTION:
    fail(f"version 1's description is {version.description!r}, expected {DESCRIPTION!r}")

if not version.run_id:
    fail("version 1 is not linked to the MLflow run that logged it")
run = client.get_run(version.run_id)
for name, value in printed.items():
    logged = run.data.metrics.get(name)
    if logged is None or not math.isclose(logged, value, abs_tol=6e-5):
        fail(f"the version's run logged {name}={logged}, the program printed {value}")

try:
    model = mlflow.sklearn.load_model(f"models:/{NAME}@{ALIAS}")
except Exception as exc:
    fail(f"cannot load models:/{NAME}@{ALIAS}: {exc}")
reference = CancerClassifier()
X_train, X_test, y_train, y_test = reference.split()
reference.model.fit(X_train, y_train)
if not np.allclose(model.predict_proba(X_test), reference.model.predict_proba(X_test)):
    fail("the champion model does not predict like the script's classifier")
print("ok")
