"""mlflow-registry-digits-cli: the SQLite registry ./mlflow.db holds 'digits-knn' with one
version aliased 'staging', logged with a signature of the 64 pixel features by a run with
the params and accuracy, and predicting like the script's classifier."""
import math
import os

from benchcheck import assert_same_score, fail, require_success

require_success()
printed = assert_same_score("accuracy")

import mlflow
import mlflow.models
import mlflow.pyfunc
import numpy as np
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

NAME, ALIAS = "digits-knn", "staging"

if not os.path.isfile("mlflow.db"):
    fail("no SQLite MLflow database at ./mlflow.db (the default of --tracking-uri)")
db = "sqlite:///" + os.path.abspath("mlflow.db")
mlflow.set_tracking_uri(db)
client = MlflowClient(tracking_uri=db, registry_uri=db)
try:
    registered = client.get_registered_model(NAME)
except MlflowException as exc:
    fail(f"no registered model {NAME!r} in ./mlflow.db: {exc.message}")
versions = client.search_model_versions(f"name='{NAME}'")
if [str(v.version) for v in versions] != ["1"]:
    fail(f"expected exactly version 1 of {NAME!r}, found {[str(v.version) for v in versions]}")
if str(registered.aliases.get(ALIAS)) != "1":
    fail(f"alias {ALIAS!r} points to {registered.aliases.get(ALIAS)!r}, expected version 1")
version = client.get_model_version_by_alias(NAME, ALIAS)

run = client.get_run(version.run_id)
if run.data.params.get("n_neighbors") != "4" or run.data.params.get("weights") != "distance":
    fail(f"the version's run logged params {run.data.params}, expected n_neighbors=4, weights=distance")
if not math.isclose(run.data.metrics.get("accuracy", math.nan), printed, abs_tol=6e-5):
    fail(f"the version's run logged accuracy={run.data.metrics.get('accuracy')}, the program printed {printed}")

uri = f"models:/{NAME}@{ALIAS}"
try:
    info = mlflow.models.get_model_info(uri)
    model = mlflow.pyfunc.load_model(uri)
except Exception as exc:
    fail(f"cannot load {uri}: {exc}")
if info.signature is None or info.signature.inputs is None:
    fail("the registered model has no signature (log it with an input example)")
specs = info.signature.inputs.inputs
if not (len(specs) == 64 or (len(specs) == 1 and getattr(specs[0], "shape", None) and specs[0].shape[-1] == 64)):
    fail(f"the signature's inputs do not describe the 64 pixel features: {info.signature.inputs}")

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=10)
expected = KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X_train, y_train)
if not np.array_equal(np.asarray(model.predict(X_test)).ravel(), expected.predict(X_test)):
    fail(f"{uri} does not predict like the script's classifier")
print("ok")
