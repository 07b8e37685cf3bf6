"""mlflow-registry-digits-cli: the SQLite registry ./mlflow.db holds 'digits-knn' with one
version aliased 'staging', logged with a signature of the 64 pixel features by a run with
the params and accuracy, and predicting like the script's classifier."""
import math

from benchcheck import (
    assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success, single_model_version,
)

require_success()
printed = assert_same_score("accuracy")

import mlflow.models
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

NAME, ALIAS = "digits-knn", "staging"

client = mlflow_sqlite_registry("mlflow.db", hint=" (the default of --tracking-uri)")
registered, version = single_model_version(client, NAME, ALIAS)

run = client.get_run(version.run_id)
if run.data.params.get("n_neighbors") != "4" or run.data.params.get("weights") != "distance":
    fail(f"the version's run logged params {run.data.params}, expected n_neighbors=4, weights=distance")
if not math.isclose(run.data.metrics.get("accuracy", math.nan), printed, abs_tol=6e-5):
    fail(f"the version's run logged accuracy={run.data.metrics.get('accuracy')}, the program printed {printed}")

uri = f"models:/{NAME}@{ALIAS}"
model = mlflow_model(uri, "pyfunc")
try:
    info = mlflow.models.get_model_info(uri)
except Exception as exc:
    fail(f"cannot read the model info of {uri}: {exc}")
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
