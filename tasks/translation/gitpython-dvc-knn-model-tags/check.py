"""GitPython -> DVC (KNN releases): same scores; each tagged model readable through DVC."""
import shlex

import joblib
import dvc.api

from benchcheck import (
    assert_dvc_up_to_date, assert_never_in_git, assert_same_score, dvc_repo, dvc_stage, fail,
    git_files, require_success,
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
rmse = {k: assert_same_score(f"rmse_k{k}", rel=1e-3) for k in (3, 7)}

repo = dvc_repo()
stage = dvc_stage(repo, "fit", deps=["fit_knn.py"], outs=["model.joblib"], metrics=["metrics.json"], params=["knn.k"])
require_command(stage, "fit", "python3 fit_knn.py")
assert_dvc_up_to_date(repo)

for k in (3, 7):
    tag = f"model-k{k}"
    missing = {"dvc.yaml", "dvc.lock", "params.yaml"} - git_files(tag)
    if missing:
        fail(f"the commit tagged {tag} lacks {sorted(missing)}")
    params = dvc.api.params_show(rev=tag)
    if params.get("knn", {}).get("k") != k:
        fail(f"at {tag}, DVC reports the params {params}; expected knn.k = {k}")
    try:
        with dvc.api.open("model.joblib", rev=tag, mode="rb") as handle:
            model = joblib.load(handle)
    except Exception as error:  # not tracked at that tag, or not in the cache
        fail(f"DVC cannot give back model.joblib at {tag}: {type(error).__name__}: {error}")
    if model.n_neighbors != k:
        fail(f"model.joblib at {tag} has k={model.n_neighbors}, expected {k}")
    metrics = dvc.api.metrics_show(rev=tag)
    if abs(metrics.get("rmse", -1) - rmse[k]) > 1e-3 * rmse[k]:
        fail(f"at {tag}, DVC reports the metrics {metrics}; the program printed rmse_k{k} {rmse[k]}")
assert_never_in_git("model.joblib")
