"""mlflow-registry-iris-pyfunc-species: the SQLite registry ./mlflow.db holds
'iris-species' with one version aliased 'live', logged by a FINISHED run, which answers
each row of measurements with the species name the script's classifier predicts."""
import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from benchcheck import (
    Remote, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, original_output, program_output,
    require_success, single_model_version,
)

NAME, ALIAS = "iris-species", "live"

require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
first = [line for line in original_output().splitlines() if line.startswith("first_predictions:")]
if [line for line in program_output().splitlines() if line.startswith("first_predictions:")] != first:
    fail("the 'first_predictions: ...' line differs from the original program's")

client = mlflow_sqlite_registry("mlflow.db")
registered, version = single_model_version(client, NAME, ALIAS)
if not version.run_id or client.get_run(version.run_id).info.status != "FINISHED":
    fail("version 1 is not linked to a FINISHED MLflow run")

iris = load_iris()
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.3, random_state=4, stratify=iris.target)
expected = list(np.array(iris.target_names)[GaussianNB(var_smoothing=1e-8).fit(X_train, y_train).predict(X_test)])

model = mlflow_model(f"models:/{NAME}@{ALIAS}", "pyfunc")
try:
    answer = model.predict(X_test)
    # A list or array comes back as itself; a Series stays in the loader and is read row by row.
    got = list(answer) if isinstance(answer, Remote) else list(np.asarray(answer).ravel())
except Exception as exc:
    fail(f"models:/{NAME}@{ALIAS} cannot predict the test split as one name per row: {exc}")
if [str(v) for v in got] != expected:
    fail(f"models:/{NAME}@{ALIAS} answers {[str(v) for v in got][:5]}..., expected the species names "
         f"{expected[:5]}...")
print("ok")
