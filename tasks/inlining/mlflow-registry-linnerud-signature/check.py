"""mlflow-registry-linnerud-signature: the SQLite registry ./mlflow.db holds 'linnerud-pls'
with one version aliased 'champion', whose signature names the three exercises as inputs
and the three body measurements as outputs, logged by a FINISHED run with the printed mae,
and which predicts like the script's model."""
import mlflow.models
import numpy as np

from benchcheck import (
    assert_run_metrics, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success,
    single_model_version,
)

from train import FitnessModel  # the unmodified program's data and model

NAME, ALIAS = "linnerud-pls", "champion"

require_success()  # the program ran to the end, before anything else
mae = assert_same_score("mae")
fitness = FitnessModel()
fitness.train()
X_train, X_test, Y_train, Y_test = fitness.data()

client = mlflow_sqlite_registry("mlflow.db")
registered, version = single_model_version(client, NAME, ALIAS)
if not version.run_id:
    fail("version 1 is not linked to the MLflow run that logged it")
run = client.get_run(version.run_id)
if run.info.status != "FINISHED":
    fail(f"the version's run is {run.info.status}, not FINISHED")
assert_run_metrics(run, {"mae": mae})

uri = f"models:/{NAME}@{ALIAS}"
try:
    info = mlflow.models.get_model_info(uri)
except Exception as exc:
    fail(f"cannot read the model info of {uri}: {exc}")
signature = info.signature
if signature is None or signature.inputs is None or signature.outputs is None:
    fail(f"{uri} has no signature with both inputs and outputs")
for side, schema, columns in (("inputs", signature.inputs, X_train.columns), ("outputs", signature.outputs, Y_train.columns)):
    if schema.input_names() != list(columns):
        fail(f"the signature's {side} are named {schema.input_names()}, expected {list(columns)}")

model = mlflow_model(uri, "pyfunc")
predicted = np.asarray(model.predict(X_test), dtype=float)
if predicted.shape != Y_test.shape or not np.allclose(predicted, fitness.model.predict(X_test)):
    fail(f"{uri} does not predict like the script's model")
print("ok")
