"""Helpers for a task's check.py. This file is copied next to check.py in the sandbox,
so it uses the standard library only.

    from benchcheck import program_rc, program_output, original_output, score, assert_same_score, fail

The sample's command ran the candidate program first, keeping its stdout in
`.program.out`, its stderr in `.program.err` and its exit code in `.program.rc`.
"""
from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)"


def fail(message: str) -> None:
    """End the check: the sample fails, and `message` says why."""
    print(f"CHECK FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def _read(name: str) -> str:
    try:
        with open(name, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        fail(f"{name} is missing: the program was not run by the sample command")
        raise  # unreachable: fail() exits


def program_rc() -> int:
    """Exit code of the candidate program."""
    text = _read(".program.rc").strip()
    return int(text) if text.lstrip("-").isdigit() else -1


def program_output() -> str:
    """What the candidate program printed on stdout."""
    return _read(".program.out")


def program_errors() -> str:
    """What the candidate program printed on stderr."""
    return _read(".program.err")


def require_success() -> None:
    """fail() unless the candidate program exited 0, quoting the end of its stderr."""
    rc = program_rc()
    if rc != 0:
        tail = "\n".join(program_errors().strip().splitlines()[-15:])
        fail(f"the program exited with code {rc}:\n{tail}")


def entry() -> str:
    """The file name of the program (e.g. train.py)."""
    return _read(".benchrun-task").strip()


@functools.cache
def original_output() -> str:
    """stdout of the unmodified program (`.original/<entry>`), run once in a scratch copy
    outside the work dir's own artefacts, which is removed afterwards."""
    scratch = tempfile.mkdtemp(prefix=".original-run-", dir=os.getcwd())
    try:
        work = os.path.join(scratch, "program")
        shutil.copytree(".original", work)
        done = subprocess.run(
            [sys.executable, entry()], cwd=work, capture_output=True, text=True, errors="replace"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        fail(f"the original program exited with code {done.returncode} (a broken task):\n{tail}")
    return done.stdout


def score(text: str, name: str) -> float:
    """The value of the last line like `name: 0.95` or `name=0.95` in `text`."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\s*[:=]\s*{_NUMBER}", re.IGNORECASE)
    found = pattern.findall(text)
    if not found:
        fail(f"no '{name}: <number>' line in the output")
    return float(found[-1])


def assert_same_score(name: str, rel: float = 1e-6, abs_: float = 1e-9) -> float:
    """The candidate printed the same `name` score as the original program; returns it."""
    expected = score(original_output(), name)
    actual = score(program_output(), name)
    if not math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_):
        fail(f"{name} changed: the original program prints {expected}, this one {actual}")
    return actual


# ---------------------------------------------------------------- W&B offline runs
# wandb (>= 0.18, wandb-core) writes an offline run only as its transaction log
# `wandb/offline-run-*/run-<id>.wandb`: a LevelDB-style log (32 KiB blocks of records
# with a 7-byte header: crc32c, length, type) whose payloads are wandb's own protobuf
# `Record`s. There is no config.yaml or wandb-summary.json until the run is synced.

_WANDB_BLOCK = 32 * 1024
_FULL, _FIRST, _MIDDLE, _LAST = 1, 2, 3, 4


def _wandb_records(path: str):
    from wandb.proto import wandb_internal_pb2  # the sandbox has wandb; imported only here

    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] != b":W&B":
        fail(f"{path} is not a W&B run log")
    pos, payload = 7, b""
    while pos + 7 <= len(data):
        left = _WANDB_BLOCK - pos % _WANDB_BLOCK
        if left < 7:  # the writer pads a block's tail that cannot hold a header
            pos += left
            continue
        length, kind = int.from_bytes(data[pos + 4 : pos + 6], "little"), data[pos + 6]
        chunk = data[pos + 7 : pos + 7 + length]
        pos += 7 + length
        if kind == 0:  # zero padding holds no record; skip it rather than stop, records may follow
            continue
        payload += chunk
        if kind in (_FULL, _LAST):
            record = wandb_internal_pb2.Record()
            record.ParseFromString(payload)
            payload = b""
            yield record


def _item_key(item) -> str:
    return item.key or "/".join(item.nested_key)


def wandb_offline_runs(root: str = "wandb") -> list[dict]:
    """Every offline W&B run under `root` (default ./wandb), oldest first, as a dict:
    id, name, project, group, job_type, tags, config, summary, history (list of dicts,
    one per step), exit_code (None until run.finish() or the end of the program writes
    the exit record), files (names saved with wandb.save / in the run's files/ folder), dir."""
    import glob
    import json

    runs = []
    for log in sorted(glob.glob(os.path.join(root, "offline-run-*", "run-*.wandb"))):
        run = {"dir": os.path.dirname(log), "config": {}, "summary": {}, "history": [], "files": [], "tags": [],
               "exit_code": None}
        for record in _wandb_records(log):
            kind = record.WhichOneof("record_type")
            if kind == "run":
                run.update(id=record.run.run_id, name=record.run.display_name, project=record.run.project,
                           group=record.run.run_group, job_type=record.run.job_type, tags=list(record.run.tags))
                for item in record.run.config.update:
                    run["config"][_item_key(item)] = json.loads(item.value_json)
            elif kind == "config":
                for item in record.config.update:
                    run["config"][_item_key(item)] = json.loads(item.value_json)
                for item in record.config.remove:
                    run["config"].pop(_item_key(item), None)
            elif kind == "summary":
                for item in record.summary.update:
                    run["summary"][_item_key(item)] = json.loads(item.value_json)
                for item in record.summary.remove:
                    run["summary"].pop(_item_key(item), None)
            elif kind == "history":
                run["history"].append({_item_key(i): json.loads(i.value_json) for i in record.history.item})
            elif kind == "files":
                run["files"].extend(f.path for f in record.files.files)
            elif kind == "exit":
                run["exit_code"] = record.exit.exit_code
        files_dir = os.path.join(run["dir"], "files")
        if os.path.isdir(files_dir):
            run["files"] = sorted(set(run["files"]) | set(os.listdir(files_dir)))
        run["config"].pop("_wandb", None)  # wandb's own bookkeeping
        runs.append(run)
    return runs


def wandb_offline_run(root: str = "wandb") -> dict:
    """The one offline W&B run under `root` (see wandb_offline_runs); fail() unless there
    is exactly one and its log holds the run's own record."""
    runs = wandb_offline_runs(root)
    if len(runs) != 1:
        fail(f"expected one offline W&B run in {os.path.join('.', root)}, found {len(runs)}")
    if "id" not in runs[0]:
        fail(f"the W&B run log in {runs[0]['dir']} has no run record")
    return runs[0]


# ---------------------------------------------------------------- DVC and git state
# Read through DVC's and GitPython's own APIs (imported only when used).


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
    sources = [out for out in repo.find_outs_by_path(path) if out.stage.is_data_source]
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
    return {blob.path for blob in commit.tree.traverse() if blob.type == "blob"}


def assert_never_in_git(*paths: str, repo_path: str = ".") -> None:
    """None of `paths` was committed to git, in any commit of any branch or tag."""
    import git

    repo = git.Repo(repo_path)
    for path in paths:
        if list(repo.iter_commits(all=True, paths=path)):
            fail(f"{path} was committed to git; DVC should version it, not git")
