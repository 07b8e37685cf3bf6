"""mlflow-registry-cancer-promote: the SQLite registry ./mlflow.db holds 'cancer-logreg'
with version 1 (baseline) and version 2 (retrained), each logged by a FINISHED run of its
own that logged its printed F1; 'champion' points to the better one, 'challenger' to the
retrained one only if it was not promoted; each predicts like its model."""
import numpy as np

from benchcheck import (
    assert_run_metrics, assert_same_score, fail, mlflow_model, mlflow_sqlite_registry, original_output,
    program_output, registered_model, require_success,
)

from train import CANDIDATES, Trainer  # the unmodified program's split and models

NAME = "cancer-logreg"

require_success()  # the program ran to the end, before anything else
scores = {name: assert_same_score(f"{name}_f1") for name in CANDIDATES}
promoted_line = [line for line in original_output().splitlines() if line.startswith("promoted:")]
if [line for line in program_output().splitlines() if line.startswith("promoted:")] != promoted_line:
    fail("the 'promoted: ...' line differs from the original program's")
promoted = scores["retrained"] > scores["baseline"]

client = mlflow_sqlite_registry("mlflow.db")
registered = registered_model(client, NAME)
versions = {str(v.version): v for v in client.search_model_versions(f"name='{NAME}'")}
if sorted(versions) != ["1", "2"]:
    fail(f"expected versions 1 and 2 of {NAME!r}, found {sorted(versions)}")
order = {"baseline": "1", "retrained": "2"}
run_ids = {name: versions[number].run_id for name, number in order.items()}
if not all(run_ids.values()) or run_ids["baseline"] == run_ids["retrained"]:
    fail("each version must be linked to an MLflow run of its own")
for name, run_id in run_ids.items():
    run = client.get_run(run_id)
    if run.info.status != "FINISHED":
        fail(f"the run of the {name} model is {run.info.status}, not FINISHED")
    assert_run_metrics(run, {"f1": scores[name]})

aliases = {alias: str(number) for alias, number in registered.aliases.items()}
expected = {"champion": "2"} if promoted else {"champion": "1", "challenger": "2"}
if aliases != expected:
    fail(f"aliases are {aliases}, expected {expected} (retrained F1 {scores['retrained']:.4f} vs "
         f"baseline {scores['baseline']:.4f})")

trainer = Trainer()
for name, number in order.items():
    model = mlflow_model(f"models:/{NAME}/{number}", "pyfunc")
    reference, _ = trainer.fit(CANDIDATES[name])
    if not np.array_equal(np.asarray(model.predict(trainer.X_test)).ravel(), reference.predict(trainer.X_test)):
        fail(f"version {number} does not predict like the {name} model")
print("ok")
