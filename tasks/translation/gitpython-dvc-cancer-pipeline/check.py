"""GitPython -> DVC (breast cancer, two steps): same scores; a two-stage DVC pipeline."""
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
assert_same_score("f1", rel=1e-3)

repo = dvc_repo()
assert_dvc_tracked(repo, "data/raw.csv")
prepare = dvc_stage(repo, "prepare", deps=["steps.py", "data/raw.csv"], outs=["data/prepared"])
train = dvc_stage(repo, "train", deps=["steps.py", "data/prepared"], outs=["model.pkl"], metrics=["metrics.json"])
for stage, step in ((prepare, "prepare"), (train, "train")):
    require_command(stage, step, f"python3 steps.py {step}")
# DVC itself links the stages: train runs after prepare because it reads its output.
if not repo.index.graph.has_edge(train, prepare):
    fail("in the DVC graph, train does not depend on prepare's output")
assert_dvc_up_to_date(repo)

recorded = dvc.api.metrics_show()
if abs(recorded.get("accuracy", -1) - accuracy) > 1e-3:
    fail(f"dvc metrics report {recorded}, the program printed accuracy {accuracy}")

missing = {"data/raw.csv.dvc", "dvc.yaml", "dvc.lock", "steps.py"} - git_files("pipeline-v1")
if missing:
    fail(f"the commit tagged pipeline-v1 lacks {sorted(missing)}")
assert_never_in_git("data/raw.csv", "data/prepared/train.csv", "data/prepared/test.csv", "model.pkl")
