"""DVC and git state, read through DVC's and GitPython's own APIs (imported only when used)."""
from __future__ import annotations

import os

from .artifacts import load_artifact
from .judge import fail


def dvc_artifact(path: str, rev: str, kind: str = "joblib"):
    """`path` as DVC gives it back at `rev`, loaded by load_artifact (never in the judge)."""
    import tempfile

    import dvc.api

    try:
        data = dvc.api.read(path, rev=rev, mode="rb")
    except Exception as error:  # noqa: BLE001  not tracked at that revision, or not in the cache
        fail(f"DVC cannot give back {path} at {rev}: {type(error).__name__}: {error}")
    with tempfile.NamedTemporaryFile(suffix="-" + os.path.basename(path), delete=False) as handle:
        handle.write(data)
    return load_artifact(kind, handle.name, what=f"{path} at {rev}")


def dvc_repo(path: str = "."):
    """The DVC project in `path`; fail() if there is none."""
    from dvc.exceptions import NotDvcRepoError
    from dvc.repo import Repo

    try:
        return Repo(path)
    except NotDvcRepoError:
        fail("the work dir is not a DVC project (no `dvc init`)")


def assert_dvc_tracked(repo, path: str) -> None:
    """`path` is tracked with `dvc add` and its .dvc file records its current content."""
    from dvc.exceptions import OutputNotFoundError

    try:
        sources = [out for out in repo.find_outs_by_path(path) if out.stage.is_data_source]
    except OutputNotFoundError:
        sources = []
    if not sources:
        fail(f"{path} is not tracked with `dvc add` (no .dvc file for it)")
    changed = sources[0].status()
    if changed:
        fail(f"{path} changed since its .dvc file was written: {changed}")


def dvc_stage(repo, name: str, deps=(), outs=(), metrics=(), params=()):
    """The pipeline stage `name` of dvc.yaml, required to have at least these deps, outs,
    metrics files and params keys."""
    stages = {stage.addressing: stage for stage in repo.index.stages}
    stage = stages.get(name)
    if stage is None:
        fail(f"no stage `{name}` in dvc.yaml (stages: {sorted(stages)})")
    have_deps = {str(dep) for dep in stage.deps}
    have_params = set()
    for dep in stage.deps:
        if hasattr(dep, "params") and dep.params is not None:
            have_params |= set(dep.params)
    have_outs = {str(out): out for out in stage.outs}
    missing_deps = set(deps) - have_deps
    if missing_deps:
        fail(f"stage `{name}` does not depend on {sorted(missing_deps)} (deps: {sorted(have_deps)})")
    missing_outs = set(outs) | set(metrics)
    missing_outs -= set(have_outs)
    if missing_outs:
        fail(f"stage `{name}` does not output {sorted(missing_outs)} (outs: {sorted(have_outs)})")
    not_metrics = [m for m in metrics if not have_outs[m].metric]
    if not_metrics:
        fail(f"stage `{name}`: {not_metrics} should be metrics files (-M/-m or `metrics:`)")
    missing_params = set(params) - have_params
    if missing_params:
        fail(f"stage `{name}` does not declare the params {sorted(missing_params)} (params: {sorted(have_params)})")
    return stage


def assert_dvc_up_to_date(repo) -> None:
    """Every stage and .dvc file matches the workspace (`dvc status` is empty)."""
    status = repo.status()
    if status:
        fail(f"the DVC project is not up to date, `dvc status` reports: {status}")


def git_files(rev: str = "HEAD", path: str = ".") -> set[str]:
    """The paths committed at `rev` (a branch, tag or commit) of the git repository."""
    import git

    try:
        commit = git.Repo(path).commit(rev)
    except Exception as error:  # no repo, no such revision: all the same to a check
        fail(f"no git revision {rev!r}: {error}")
    return {str(item.path) for item in commit.tree.traverse() if isinstance(item, git.Blob)}


def assert_never_in_git(*paths: str, repo_path: str = ".") -> None:
    """None of `paths` was committed to git, in any commit of any branch or tag."""
    import git

    repo = git.Repo(repo_path)
    for path in paths:
        if list(repo.iter_commits(all=True, paths=path)):
            fail(f"{path} was committed to git; DVC should version it, not git")
