"""GitPython -> DVC (wine, params.yaml): same accuracy; params declared in the stage."""
import dvc.api

from benchcheck import (
    assert_dvc_tracked, assert_dvc_up_to_date, assert_never_in_git, assert_same_score,
    dvc_repo, dvc_stage, fail, git_files, require_success,
)

require_success()
accuracy = assert_same_score("accuracy", rel=1e-3)

repo = dvc_repo()
assert_dvc_tracked(repo, "data/wine.csv")
dvc_stage(
    repo, "train", deps=["train.py", "data/wine.csv"], outs=["model.joblib"], metrics=["scores.json"],
    params=["train.n_estimators", "train.max_depth"],
)
assert_dvc_up_to_date(repo)

params = dvc.api.params_show(stages="train")
if params.get("train", {}).get("n_estimators") != 50 or params["train"].get("max_depth") != 4:
    fail(f"dvc params show reports {params} for the train stage; expected params.yaml's values")
recorded = dvc.api.metrics_show()
if abs(recorded.get("accuracy", -1) - accuracy) > 1e-3:
    fail(f"dvc metrics report {recorded}, the program printed accuracy {accuracy}")

missing = {"data/wine.csv.dvc", "dvc.yaml", "dvc.lock", "params.yaml"} - git_files("baseline")
if missing:
    fail(f"the commit tagged baseline lacks {sorted(missing)}")
assert_never_in_git("data/wine.csv", "model.joblib")
