"""GitPython -> DVC (iris): same accuracy; data and model versioned by DVC, not git."""
import shlex
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
assert_dvc_tracked(repo, "data/iris.csv")
stage = dvc_stage(repo, "train", deps=["train.py", "data/iris.csv"], outs=["model.pkl"], metrics=["metrics.json"])
require_command(stage, "train", "python3 train.py")
assert_dvc_up_to_date(repo)

# DVC reads the metrics back: the stage really produced the printed accuracy.
import dvc.api

recorded = dvc.api.metrics_show()
if abs(recorded.get("accuracy", -1) - accuracy) > 1e-3:
    fail(f"dvc metrics report {recorded}, the program printed accuracy {accuracy}")

missing = {"data/iris.csv.dvc", "dvc.yaml", "dvc.lock", "train.py"} - git_files("v1")
if missing:
    fail(f"the commit tagged v1 lacks {sorted(missing)}")
assert_never_in_git("data/iris.csv", "model.pkl")
