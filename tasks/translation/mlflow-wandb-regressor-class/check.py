"""MLflow -> W&B offline (regressor class): same scores; name, tag, config, summary."""
import os

from benchcheck import assert_same_score, fail, require_success, wandb_offline_run

require_success()
scores = {name: assert_same_score(name, rel=1e-3) for name in ("rmse", "r2")}

run = wandb_offline_run()
if (run.get("project"), run.get("name")) != ("diabetes-gbr", "gbr-baseline"):
    fail(f"the run is {run.get('project')!r}/{run.get('name')!r}, expected diabetes-gbr/gbr-baseline")
if "boosting" not in run["tags"]:
    fail(f"the run's tags are {run['tags']}, expected the tag 'boosting'")
expected = {"n_estimators": 120, "learning_rate": 0.05, "max_depth": 3}
config = {key: run["config"].get(key) for key in expected}
if config != expected:
    fail(f"the run's config has {config}, expected {expected}")
for name, value in scores.items():
    logged = run["summary"].get(name)
    if not isinstance(logged, (int, float)) or abs(logged - value) > 1e-3 * max(1.0, abs(value)):
        fail(f"the run's summary has {name} = {logged!r}, the program printed {value}")
if os.path.exists("mlruns"):
    fail("the program still writes an MLflow store (./mlruns); the tracking should move to W&B")
