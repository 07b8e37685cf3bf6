"""wandb-track-forest-cli: one offline W&B run 'extra-trees' of project 'wine-trees'
(job type train, tags baseline and wine) whose config holds the command-line defaults and
whose single history row and summary hold the two printed scores."""
import math

from benchcheck import assert_same_score, fail, require_success, wandb_offline_run


def close(a, b, tolerance):
    return isinstance(a, (int, float)) and math.isclose(a, b, abs_tol=tolerance)


require_success()
printed = {name: assert_same_score(name) for name in ("accuracy", "balanced_accuracy")}

run = wandb_offline_run()
config, summary, history = run["config"], run["summary"], run["history"]
if run["project"] != "wine-trees":
    fail(f"the run's project is {run['project']!r}, expected 'wine-trees'")
if run["name"] != "extra-trees":
    fail(f"the run is named {run['name']!r}, expected 'extra-trees'")
if run["job_type"] != "train":
    fail(f"the run's job type is {run['job_type']!r}, expected 'train'")
if sorted(run["tags"]) != ["baseline", "wine"]:
    fail(f"the run's tags are {run['tags']}, expected ['baseline', 'wine']")
if run["exit_code"] is None:
    fail("the run was not finished (no exit record): call run.finish()")

defaults = {"n_estimators": 80, "max_features": "sqrt", "min_samples_split": 4, "test_size": 0.3, "seed": 13}
if config != defaults:
    fail(f"config is {config}, expected the command-line defaults {defaults}")

if len(history) != 1:
    fail(f"expected one history row (one wandb.log call), found {len(history)}")
for name, value in printed.items():
    if not close(history[0].get(name), value, 6e-5):
        fail(f"logged {name} is {history[0].get(name)}, the program printed {value}")
    if not close(summary.get(name), value, 6e-5):
        fail(f"summary {name} is {summary.get(name)}, the program printed {value}")
print("ok")
