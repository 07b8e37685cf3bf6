"""mlflow-registry-diabetes-ridge: the SQLite registry ./mlflow.db holds 'diabetes-ridge'
with its description, one version tagged with the printed r2 and aliased 'production',
which loads as a pyfunc model and predicts like the script's pipeline."""
import os
import sys

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = assert_same_score("r2")

import mlflow
import mlflow.pyfunc
import numpy as np
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

sys.path.insert(0, ".original")
from train import build, load  # the unmodified program's data and pipeline

NAME, ALIAS = "diabetes-ridge", "production"
DESCRIPTION = "Ridge regression on polynomial features of the diabetes data"

if not os.path.isfile("mlflow.db"):
    fail("no SQLite MLflow database at ./mlflow.db")
db = "sqlite:///" + os.path.abspath("mlflow.db")
mlflow.set_tracking_uri(db)
client = MlflowClient(tracking_uri=db, registry_uri=db)
try:
    registered = client.get_registered_model(NAME)
except MlflowException as exc:
    fail(f"no registered model {NAME!r} in ./mlflow.db: {exc.message}")
if (registered.description or "").strip() != DESCRIPTION:
    fail(f"the registered model's description is {registered.description!r}, expected {DESCRIPTION!r}")
versions = client.search_model_versions(f"name='{NAME}'")
if [str(v.version) for v in versions] != ["1"]:
    fail(f"expected exactly version 1 of {NAME!r}, found {[str(v.version) for v in versions]}")
if str(registered.aliases.get(ALIAS)) != "1":
    fail(f"alias {ALIAS!r} points to {registered.aliases.get(ALIAS)!r}, expected version 1")
version = client.get_model_version_by_alias(NAME, ALIAS)
expected_tag = f"{printed:.4f}"
if version.tags.get("r2") != expected_tag:
    fail(f"version 1's tag r2 is {version.tags.get('r2')!r}, expected {expected_tag!r}")

try:
    model = mlflow.pyfunc.load_model(f"models:/{NAME}@{ALIAS}")
except Exception as exc:
    fail(f"cannot load models:/{NAME}@{ALIAS}: {exc}")
X_train, X_test, y_train, y_test = load()
expected = build().fit(X_train, y_train)
if not np.allclose(np.asarray(model.predict(X_test)).ravel(), expected.predict(X_test)):
    fail("the production model does not predict like the script's pipeline")
print("ok")
