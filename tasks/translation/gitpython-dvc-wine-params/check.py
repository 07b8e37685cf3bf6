"""GitPython -> DVC (wine, params.yaml): same accuracy; params declared in the stage."""
import shlex

import dvc.api

from benchcheck import (
    assert_dvc_tracked, assert_dvc_up_to_date, assert_never_in_git, assert_same_score,
    dvc_repo, dvc_stage, fail, git_files, require_success,
)


def stage_command(stage) -> list[str]:
    """The stage's command as words, `python` spelt `python3` and `./script.py` as `script.py`."""
    cmd = stage.cmd or ""
    if isinstance(cmd, (list, tuple)):
        cmd = " && ".join(cmd)
    try:
        words = shlex.split(cmd)
    except ValueError:
        words = cmd.split()
    if words and words[0] in ("python", "python3"):
        words[0] = "python3"
    return [word[2:] if word.startswith("./") else word for word in words]


def require_command(stage, name: str, expected: str) -> None:
    """fail() unless `stage` runs exactly `expected` (whitespace and python/python3 aside)."""
    if stage_command(stage) != expected.split():
        fail(f"stage `{name}` runs {stage.cmd!r}, expected `{expected}`")


require_success()
accuracy = assert_same_score("accuracy", rel=1e-3)

repo = dvc_repo()
assert_dvc_tracked(repo, "data/wine.csv")
stage = dvc_stage(
    repo, "train", deps=["train.py", "data/wine.csv"], outs=["model.joblib"], metrics=["scores.json"],
    params=["train.n_estimators", "train.max_depth"],
)
require_command(stage, "train", "python3 train.py")
assert_dvc_up_to_date(repo)

params = dvc.api.params_show(stages="train")
if params.get("train", {}).get("n_estimators") != 50 or params["train"].get("max_depth") != 4:
    fail(f"dvc params show reports {params} for the train stage; expected params.yaml's values")
recorded = dvc.api.metrics_show()
if abs(recorded.get("accuracy", -1) - accuracy) > 1e-3:
    fail(f"dvc metrics report {recorded}, the program printed accuracy {accuracy}")

missing = {"data/wine.csv.dvc", "dvc.yaml", "dvc.lock", "params.yaml", "train.py"} - git_files("baseline")
if missing:
    fail(f"the commit tagged baseline lacks {sorted(missing)}")
assert_never_in_git("data/wine.csv", "model.joblib")
