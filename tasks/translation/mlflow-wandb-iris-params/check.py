"""MLflow -> W&B offline (iris): same accuracy; config and accuracy in the offline run."""
import os

from benchcheck import assert_same_score, fail, require_success, wandb_offline_run

require_success()
accuracy = assert_same_score("accuracy", rel=1e-3)

run = wandb_offline_run()
if run.get("project") != "iris-logreg":
    fail(f"the run's project is {run.get('project')!r}, expected 'iris-logreg'")
if run["config"].get("C") != 0.5 or run["config"].get("max_iter") != 300:
    fail(f"the run's config is {run['config']}; expected C=0.5 and max_iter=300")
logged = run["summary"].get("accuracy")
if not isinstance(logged, (int, float)) or abs(logged - accuracy) > 1e-3:
    fail(f"the run records accuracy {logged!r}, the program printed {accuracy}")
if os.path.exists("mlruns"):
    fail("the program still writes an MLflow store (./mlruns); the tracking should move to W&B")
