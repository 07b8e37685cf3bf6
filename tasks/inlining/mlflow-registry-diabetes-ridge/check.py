"""mlflow-registry-diabetes-ridge: the SQLite registry ./mlflow.db holds 'diabetes-ridge'
with its description, one version tagged with the printed r2 and aliased 'production',
which loads as a pyfunc model and predicts like the script's pipeline."""

from benchcheck import (
    assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success, single_model_version,
)

require_success()
printed = assert_same_score("r2")

import numpy as np

from train import build, load  # the unmodified program's data and pipeline

NAME, ALIAS = "diabetes-ridge", "production"
DESCRIPTION = "Ridge regression on polynomial features of the diabetes data"

client = mlflow_sqlite_registry("mlflow.db")
registered, version = single_model_version(client, NAME, ALIAS)
if (registered.description or "").strip() != DESCRIPTION:
    fail(f"the registered model's description is {registered.description!r}, expected {DESCRIPTION!r}")
expected_tag = f"{printed:.4f}"
if version.tags.get("r2") != expected_tag:
    fail(f"version 1's tag r2 is {version.tags.get('r2')!r}, expected {expected_tag!r}")

model = mlflow_model(f"models:/{NAME}@{ALIAS}", "pyfunc")
X_train, X_test, y_train, y_test = load()
expected = build().fit(X_train, y_train)
if not np.allclose(np.asarray(model.predict(X_test)).ravel(), expected.predict(X_test)):
    fail("the production model does not predict like the script's pipeline")
print("ok")
