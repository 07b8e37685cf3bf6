"""GitPython -> DVC (linnerud): same r2; data and model versioned by DVC at tag release."""
import pickle
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
r2 = assert_same_score("r2", rel=1e-3)

repo = dvc_repo()
assert_dvc_tracked(repo, "data/linnerud.csv")
stage = dvc_stage(repo, "fit", deps=["fit.py", "data/linnerud.csv"], outs=["model.pkl"], metrics=["metrics.yaml"])
require_command(stage, "fit", "python3 fit.py")
assert_dvc_up_to_date(repo)

metrics = dvc.api.metrics_show(rev="release")
if abs(metrics.get("r2", -1) - r2) > 1e-3:
    fail(f"at tag release DVC reports the metrics {metrics}; the program printed r2 {r2}")
with dvc.api.open("model.pkl", rev="release", mode="rb") as handle:
    model = pickle.load(handle)
if getattr(model, "coef_", None) is None or model.coef_.shape != (3, 3):
    fail("model.pkl at tag release is not the fitted three-target ridge model")

missing = {"data/linnerud.csv.dvc", "dvc.yaml", "dvc.lock", "fit.py"} - git_files("release")
if missing:
    fail(f"the commit tagged release lacks {sorted(missing)}")
assert_never_in_git("data/linnerud.csv", "model.pkl")
