"""mlflow-registry-sgd-retrain-cli: run with its defaults and then with --alpha 3.0, the
script leaves 'sgd-classifier' in ./mlflow.db with version 1 (alpha 0.001) and version 2
(alpha 3.0), each logged by a FINISHED run of its own with its alpha and printed accuracy;
'champion' points to the more accurate version and 'challenger' to version 2 if it is not
better; each version predicts like its model."""
import numpy as np

from benchcheck import (
    assert_run_metrics, assert_run_params, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry,
    registered_model, require_after_success, require_success, score,
)

from train import build, load_split, parse_args  # the unmodified program's data and model

NAME, RERUN = "sgd-classifier", "python3 train.py --alpha 3.0"

require_success()  # the first run, with the defaults
first = assert_same_score("accuracy")
second = score(require_after_success(RERUN)["stdout"], "accuracy")

settings = {"1": parse_args([]), "2": parse_args(["--alpha", "3.0"])}
X_train, X_test, y_train, y_test = load_split(settings["1"].seed)
models = {number: build(args).fit(X_train, y_train) for number, args in settings.items()}
accuracy = {number: model.score(X_test, y_test) for number, model in models.items()}
if abs(accuracy["2"] - second) > 6e-5:
    fail(f"the rerun printed accuracy {second}, the model with alpha 3.0 scores {accuracy['2']:.4f}")
printed = {"1": first, "2": second}

client = mlflow_sqlite_registry("mlflow.db")
registered = registered_model(client, NAME)
versions = {str(v.version): v for v in client.search_model_versions(f"name='{NAME}'")}
if sorted(versions) != ["1", "2"]:
    fail(f"expected versions 1 and 2 of {NAME!r} after the two runs, found {sorted(versions)}")
if not all(v.run_id for v in versions.values()) or versions["1"].run_id == versions["2"].run_id:
    fail("each version must be linked to the MLflow run of its own script run")
for number, version in versions.items():
    run = client.get_run(version.run_id)
    if run.info.status != "FINISHED":
        fail(f"the run of version {number} is {run.info.status}, not FINISHED")
    assert_run_params(run, {"alpha": settings[number].alpha})
    assert_run_metrics(run, {"accuracy": printed[number]})

aliases = {alias: str(number) for alias, number in registered.aliases.items()}
expected = {"champion": "2"} if accuracy["2"] > accuracy["1"] else {"champion": "1", "challenger": "2"}
if aliases != expected:
    fail(f"aliases are {aliases}, expected {expected} (accuracy {accuracy['1']:.4f} then {accuracy['2']:.4f})")

for number, model in models.items():
    loaded = mlflow_model(f"models:/{NAME}/{number}", "pyfunc")
    if not np.array_equal(np.asarray(loaded.predict(X_test)).ravel(), model.predict(X_test)):
        fail(f"version {number} does not predict like the model trained with alpha {settings[number].alpha}")
print("ok")
