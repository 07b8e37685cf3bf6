"""mlflow-registry-iris-tree: the SQLite registry ./mlflow.db holds the model 'iris-tree'
with one version, aliased 'champion', which loads as a pyfunc model and predicts like the
script's tree."""
import os

from benchcheck import assert_same_score, fail, require_success

require_success()
assert_same_score("depth")
printed = assert_same_score("accuracy")

import mlflow
import mlflow.pyfunc
import numpy as np
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

NAME, ALIAS = "iris-tree", "champion"

if not os.path.isfile("mlflow.db"):
    fail("no SQLite MLflow database at ./mlflow.db")
db = "sqlite:///" + os.path.abspath("mlflow.db")
mlflow.set_tracking_uri(db)
client = MlflowClient(tracking_uri=db, registry_uri=db)
try:
    registered = client.get_registered_model(NAME)
except MlflowException as exc:
    fail(f"no registered model {NAME!r} in ./mlflow.db: {exc.message}")
versions = client.search_model_versions(f"name='{NAME}'")
if [str(v.version) for v in versions] != ["1"]:
    fail(f"expected exactly version 1 of {NAME!r}, found {[v.version for v in versions]}")
if str(registered.aliases.get(ALIAS)) != "1":
    fail(f"alias {ALIAS!r} points to {registered.aliases.get(ALIAS)!r}, expected version 1")
version = client.get_model_version_by_alias(NAME, ALIAS)
if client.get_run(version.run_id).info.status != "FINISHED":
    fail("the run that logged the registered model is not FINISHED")

try:
    model = mlflow.pyfunc.load_model(f"models:/{NAME}@{ALIAS}")
except Exception as exc:
    fail(f"cannot load models:/{NAME}@{ALIAS}: {exc}")

X, y = load_iris(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
expected = DecisionTreeClassifier(max_depth=3, min_samples_leaf=3, random_state=9).fit(X_train, y_train)
predicted = np.asarray(model.predict(X_test)).ravel()
if not np.array_equal(predicted, expected.predict(X_test)):
    fail("the champion model does not predict like the script's decision tree")
if abs(float((predicted == y_test.to_numpy()).mean()) - printed) > 6e-5:
    fail("the champion model's test accuracy differs from the printed accuracy")
print("ok")
