"""mlflow-registry-iris-svc-signature: the SQLite registry ./mlflow.db holds 'iris-svc'
with one version aliased 'production', whose signature names the four iris columns, which
carries an input example of those columns, and which predicts like the script's model."""
import mlflow.models
import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from benchcheck import (
    assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success, single_model_version,
)

NAME, ALIAS = "iris-svc", "production"

require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=21, stratify=y)
columns = list(X.columns)

client = mlflow_sqlite_registry("mlflow.db")
registered, version = single_model_version(client, NAME, ALIAS)
if not version.run_id or client.get_run(version.run_id).info.status != "FINISHED":
    fail("version 1 is not linked to a FINISHED MLflow run")

uri = f"models:/{NAME}@{ALIAS}"
model = mlflow_model(uri, "pyfunc")
try:
    info = mlflow.models.get_model_info(uri)
except Exception as exc:
    fail(f"cannot read the model info of {uri}: {exc}")
if info.signature is None or info.signature.inputs is None:
    fail(f"{uri} has no signature")
names = info.signature.inputs.input_names()
if names != columns:
    fail(f"the signature's inputs are {names}, expected the iris columns {columns}")
if info.saved_input_example_info is None:
    fail(f"{uri} was logged without an input example")

expected = make_pipeline(StandardScaler(), SVC(C=2.0, gamma=0.2)).fit(X_train, y_train).predict(X_test)
if not np.array_equal(np.asarray(model.predict(X_test)).ravel(), expected):
    fail(f"{uri} does not predict like the script's classifier")
print("ok")
