"""mlflow-registry-wine-candidates: the SQLite registry ./mlflow.db holds 'wine-classifier'
with version 1 (knn) and version 2 (logreg), each tagged with its candidate name, logged by
its own FINISHED run that logged that candidate's accuracy, and predicting like that
candidate; 'champion' names the better one, 'challenger' the other."""
from benchcheck import (
    assert_run_metrics, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, original_output, program_output,
    registered_model, require_success,
)

require_success()
scores = {name: assert_same_score(f"{name}_accuracy") for name in ("knn", "logreg")}
best_line = [l for l in original_output().splitlines() if l.startswith("best:")]
if [l for l in program_output().splitlines() if l.startswith("best:")] != best_line:
    fail("the 'best: ...' line differs from the original program's")
best = max(scores, key=scores.get)
other = "knn" if best == "logreg" else "logreg"

import numpy as np
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

NAME = "wine-classifier"

client = mlflow_sqlite_registry("mlflow.db")
registered = registered_model(client, NAME)
versions = {str(v.version): v for v in client.search_model_versions(f"name='{NAME}'")}
if sorted(versions) != ["1", "2"]:
    fail(f"expected versions 1 and 2 of {NAME!r}, found {sorted(versions)}")
order = {"knn": "1", "logreg": "2"}
for name, number in order.items():
    if versions[number].tags.get("candidate") != name:
        fail(f"version {number} has tag candidate={versions[number].tags.get('candidate')!r}, expected {name!r}")

# Each candidate in its own run: the two versions come from two distinct runs, each of
# which finished and logged that candidate's accuracy (one shared run logging both fails).
run_ids = {name: versions[number].run_id for name, number in order.items()}
for name, run_id in run_ids.items():
    if not run_id:
        fail(f"version {order[name]} ({name}) is not linked to the MLflow run that logged it")
if run_ids["knn"] == run_ids["logreg"]:
    fail("both candidates were logged in the same MLflow run; each needs its own run")
for name, run_id in run_ids.items():
    run = client.get_run(run_id)
    if run.info.status != "FINISHED":
        fail(f"the run of the {name} candidate is {run.info.status}, not FINISHED")
    assert_run_metrics(run, {"accuracy": scores[name]})

aliases = {alias: str(number) for alias, number in registered.aliases.items()}
expected_aliases = {"champion": order[best], "challenger": order[other]}
if {a: aliases.get(a) for a in expected_aliases} != expected_aliases:
    fail(f"aliases are {aliases}, expected {expected_aliases} ({best} scored better)")

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1, stratify=y)
references = {
    "knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
    "logreg": make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000)),
}
for alias, name in (("champion", best), ("challenger", other)):
    model = mlflow_model(f"models:/{NAME}@{alias}", "pyfunc")
    expected = references[name].fit(X_train, y_train).predict(X_test)
    if not np.array_equal(np.asarray(model.predict(X_test)).ravel(), expected):
        fail(f"models:/{NAME}@{alias} does not predict like the {name} candidate")
print("ok")
