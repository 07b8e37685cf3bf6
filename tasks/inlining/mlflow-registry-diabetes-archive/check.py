"""mlflow-registry-diabetes-archive: the SQLite registry ./mlflow.db holds
'diabetes-regressor' with versions 1-3 (lasso, forest, knn), each tagged with its family,
logged by a FINISHED run of its own with its printed rmse, and predicting like its model;
the worst version is tagged status=archived and holds no alias, the others status=active,
and 'champion' points to the best."""
import numpy as np

from benchcheck import (
    assert_run_metrics, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, original_output,
    program_output, registered_model, require_success,
)

from train import candidates, load_split  # the unmodified program's split and models

NAME = "diabetes-regressor"
FAMILIES = ("lasso", "forest", "knn")

require_success()  # the program ran to the end, before anything else
scores = {family: assert_same_score(f"{family}_rmse") for family in FAMILIES}
for key in ("best:", "worst:"):
    if [l for l in program_output().splitlines() if l.startswith(key)] != [
        l for l in original_output().splitlines() if l.startswith(key)
    ]:
        fail(f"the '{key} ...' line differs from the original program's")
best, worst = min(scores, key=scores.get), max(scores, key=scores.get)

client = mlflow_sqlite_registry("mlflow.db")
registered = registered_model(client, NAME)
versions = {str(v.version): v for v in client.search_model_versions(f"name='{NAME}'")}
if sorted(versions) != ["1", "2", "3"]:
    fail(f"expected versions 1, 2 and 3 of {NAME!r}, found {sorted(versions)}")
order = {family: str(i) for i, family in enumerate(FAMILIES, start=1)}
run_ids = set()
for family, number in order.items():
    version = versions[number]
    if version.tags.get("family") != family:
        fail(f"version {number} has tag family={version.tags.get('family')!r}, expected {family!r}")
    status = "archived" if family == worst else "active"
    if version.tags.get("status") != status:
        fail(f"version {number} ({family}) has tag status={version.tags.get('status')!r}, expected {status!r}")
    if not version.run_id:
        fail(f"version {number} is not linked to the run that logged it")
    run = client.get_run(version.run_id)
    if run.info.status != "FINISHED":
        fail(f"the run of the {family} model is {run.info.status}, not FINISHED")
    assert_run_metrics(run, {"rmse": scores[family]})
    run_ids.add(version.run_id)
if len(run_ids) != 3:
    fail("each model must be logged by an MLflow run of its own")

aliases = {alias: str(number) for alias, number in registered.aliases.items()}
if aliases.get("champion") != order[best]:
    fail(f"champion points to {aliases.get('champion')!r}, expected version {order[best]} ({best})")
if order[worst] in aliases.values():
    fail(f"the archived version {order[worst]} still holds an alias: {aliases}")

X_train, X_test, y_train, y_test = load_split()
for family, model in candidates().items():
    loaded = mlflow_model(f"models:/{NAME}/{order[family]}", "pyfunc")
    expected = model.fit(X_train, y_train).predict(X_test)
    if not np.allclose(np.asarray(loaded.predict(X_test), dtype=float).ravel(), expected):
        fail(f"version {order[family]} does not predict like the {family} model")
print("ok")
