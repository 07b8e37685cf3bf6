"""GitPython -> DVC (diabetes, class style): same RMSE; data/ tracked as one directory."""
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
rmse = assert_same_score("rmse", rel=1e-3)

repo = dvc_repo()
assert_dvc_tracked(repo, "data")
data_out = next(out for out in repo.find_outs_by_path("data") if out.stage.is_data_source)
if not data_out.hash_info.isdir:
    fail("data/ should be tracked as one directory (dvc add data), not file by file")
stage = dvc_stage(repo, "fit", deps=["model.py", "data"], outs=["ridge.pkl"], metrics=["eval/metrics.json"])
require_command(stage, "fit", "python3 model.py")
assert_dvc_up_to_date(repo)

recorded = dvc.api.metrics_show()
if abs(recorded.get("rmse", -1) - rmse) > 1e-3 * rmse:
    fail(f"dvc metrics report {recorded}, the program printed rmse {rmse}")

missing = {"data.dvc", "dvc.yaml", "dvc.lock", "model.py"} - git_files("ridge-v1")
if missing:
    fail(f"the commit tagged ridge-v1 lacks {sorted(missing)}")
assert_never_in_git("data/train.csv", "data/test.csv", "ridge.pkl")
