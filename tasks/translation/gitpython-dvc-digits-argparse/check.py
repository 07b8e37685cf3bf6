"""GitPython -> DVC (digits, argparse): same accuracy; `main.py train` is the DVC stage.

The files judged are those left after the full run and then `python3 main.py train`, which
the sandbox runs as the sample (task.toml `after`): this check reads that run's outcome and
never runs the program's code."""
import shlex

import dvc.api

from benchcheck import (
    assert_dvc_tracked, assert_dvc_up_to_date, assert_never_in_git, assert_same_score,
    dvc_artifact, dvc_repo, dvc_stage, fail, git_files, require_after_success, require_success,
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
assert_dvc_tracked(repo, "data/digits.csv")
stage = dvc_stage(repo, "train", deps=["main.py", "data/digits.csv"], outs=["svc.pkl"], metrics=["metrics.json"])
require_command(stage, "train", "python3 main.py train")

recorded = dvc.api.metrics_show()
if abs(recorded.get("accuracy", -1) - accuracy) > 1e-3:
    fail(f"dvc metrics report {recorded}, the program printed accuracy {accuracy}")

# The model DVC versions is the one that scores that accuracy, read through DVC at the tag.
model = dvc_artifact("svc.pkl", "digits-svc", "pickle")
if model.get_params()["C"] != 5.0:
    fail(f"the svc.pkl at tag digits-svc has C={model.get_params()['C']}, expected the default 5.0")

missing = {"data/digits.csv.dvc", "dvc.yaml", "dvc.lock", "main.py"} - git_files("digits-svc")
if missing:
    fail(f"the commit tagged digits-svc lacks {sorted(missing)}")
assert_never_in_git("data/digits.csv", "svc.pkl")

# `main.py train` alone (run after the full run) retrained from the tracked data and left
# the pipeline up to date.
require_after_success("python3 main.py train")
assert_dvc_up_to_date(repo)
