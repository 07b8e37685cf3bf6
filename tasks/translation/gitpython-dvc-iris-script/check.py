"""GitPython -> DVC (iris): same accuracy; data and model versioned by DVC, not git."""
from benchcheck import (
    assert_dvc_tracked, assert_dvc_up_to_date, assert_never_in_git, assert_same_score,
    dvc_repo, dvc_stage, fail, git_files, require_success,
)

require_success()
accuracy = assert_same_score("accuracy", rel=1e-3)

repo = dvc_repo()
assert_dvc_tracked(repo, "data/iris.csv")
dvc_stage(repo, "train", deps=["train.py", "data/iris.csv"], outs=["model.pkl"], metrics=["metrics.json"])
assert_dvc_up_to_date(repo)

# DVC reads the metrics back: the stage really produced the printed accuracy.
import dvc.api

recorded = dvc.api.metrics_show()
if abs(recorded.get("accuracy", -1) - accuracy) > 1e-3:
    fail(f"dvc metrics report {recorded}, the program printed accuracy {accuracy}")

missing = {"data/iris.csv.dvc", "dvc.yaml", "dvc.lock"} - git_files("v1")
if missing:
    fail(f"the commit tagged v1 lacks {sorted(missing)}")
assert_never_in_git("data/iris.csv", "model.pkl")
