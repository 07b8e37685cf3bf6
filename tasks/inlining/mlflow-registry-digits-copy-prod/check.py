"""mlflow-registry-digits-copy-prod: the SQLite registry ./mlflow.db holds
'digits-ridge-staging' (version 1, alias 'candidate') and 'digits-ridge-prod' (version 1,
alias 'live'), both linked to the same FINISHED run, which logged the printed accuracy;
both predict like the script's classifier."""
import numpy as np

from benchcheck import (
    assert_run_metrics, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, require_success,
    single_model_version,
)

from train import train  # the unmodified program's model

STAGING, PRODUCTION = "digits-ridge-staging", "digits-ridge-prod"

require_success()  # the program ran to the end, before anything else
accuracy = assert_same_score("accuracy")

client = mlflow_sqlite_registry("mlflow.db")
_, staged = single_model_version(client, STAGING, "candidate")
_, live = single_model_version(client, PRODUCTION, "live")
if not staged.run_id:
    fail("the staging version is not linked to the MLflow run that logged it")
if live.run_id != staged.run_id:
    fail(f"the production version comes from run {live.run_id!r}, not from the staging version's run "
         f"{staged.run_id!r}: it must be the same model, not a retrained one")
run = client.get_run(staged.run_id)
if run.info.status != "FINISHED":
    fail(f"the run is {run.info.status}, not FINISHED")
assert_run_metrics(run, {"accuracy": accuracy})
if len(client.search_runs([run.info.experiment_id])) != 1:
    fail("the experiment holds more than the one training run")

from data import load_split  # noqa: E402  the unmodified program's data

X_train, X_test, y_train, y_test = load_split()
expected = train()[0].predict(X_test)
for uri in (f"models:/{STAGING}@candidate", f"models:/{PRODUCTION}@live"):
    if not np.array_equal(np.asarray(mlflow_model(uri, "pyfunc").predict(X_test)).ravel(), expected):
        fail(f"{uri} does not predict like the script's classifier")
print("ok")
