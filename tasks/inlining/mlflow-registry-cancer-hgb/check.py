"""mlflow-registry-cancer-hgb: the SQLite registry ./mlflow.db holds 'cancer-hgb' tagged
task=binary-classification, with one described version aliased 'champion' whose run logged
the printed metrics, and which predicts like the script's classifier."""
import math

from benchcheck import (
    assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success, single_model_version,
)

require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "log_loss")}

import numpy as np

from train import CancerClassifier  # the unmodified program's model and split

NAME, ALIAS = "cancer-hgb", "champion"
DESCRIPTION = "HistGradientBoostingClassifier, 60 iterations"

client = mlflow_sqlite_registry("mlflow.db")
registered, version = single_model_version(client, NAME, ALIAS)
if registered.tags.get("task") != "binary-classification":
    fail(f"the registered model's tag task is {registered.tags.get('task')!r}, expected 'binary-classification'")
if (version.description or "").strip() != DESCRIPTION:
    fail(f"version 1's description is {version.description!r}, expected {DESCRIPTION!r}")

if not version.run_id:
    fail("version 1 is not linked to the MLflow run that logged it")
run = client.get_run(version.run_id)
for name, value in printed.items():
    logged = run.data.metrics.get(name)
    if logged is None or not math.isclose(logged, value, abs_tol=6e-5):
        fail(f"the version's run logged {name}={logged}, the program printed {value}")

model = mlflow_model(f"models:/{NAME}@{ALIAS}", "sklearn")
reference = CancerClassifier()
X_train, X_test, y_train, y_test = reference.split()
reference.model.fit(X_train, y_train)
if not np.allclose(model.predict_proba(X_test), reference.model.predict_proba(X_test)):
    fail("the champion model does not predict like the script's classifier")
print("ok")
