"""What decides a sample's verdict besides the task and the program, as digests for unit
ids: the files every sample runs with, the files of the backend that runs it, and the
sandbox image it runs in. Change any of them and every unit judged with it runs again;
nothing else does.

The files are listed once, in JUDGE_FILES and SANDBOX_FILES: a new file that goes into
every sample's work dir, or that decides how a sample is run or judged, belongs there.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from benchrun.codegen.tasks import BENCHCHECK_FILES, RUN_ENV

_PACKAGE = Path(__file__).parents[1]
_SANDBOXES = _PACKAGE / "sandboxes"
# Files whose bytes decide every verdict, whatever the backend (the task's own check.py is
# in its digest): the helpers checks import (every file of the benchcheck package,
# sorted), what a sample runs and what the judge is given (tasks.py: the command, the
# files, the check's request), how a program is judged, the sandbox's common part (the
# judge's request, the environment, how a run is categorised) and the judge itself.
JUDGE_FILES: tuple[Path, ...] = (
    *BENCHCHECK_FILES,
    _PACKAGE / "codegen" / "tasks.py",
    _PACKAGE / "codegen" / "judging.py",
    _PACKAGE / "codegen" / "humaneval.py",  # the recorder HumanEval samples run
    _SANDBOXES / "base.py",
    _SANDBOXES / "judge_runner.py",
)
_DOCKER = _SANDBOXES / "docker"
# Per backend, the files that decide how it runs a sample: Docker's wrapper (wrapper.sh,
# and wrapper.py: its request and status line), its execs and how their results are
# categorised (execs.py, exec_stream.py), the container and its limits (container.py,
# memory.py), the pool (pool.py: which server starts when), its warm servers
# (servers.py) and the warm program's server and shim (preload.py); the local backend's
# supervisor. Not Docker's cleanup.py (labels, orphans) nor its package docstring. A
# backend named here by no file (a plugin) adds none.
SANDBOX_FILES: dict[str, tuple[Path, ...]] = {
    "docker": tuple(_DOCKER / name for name in ("wrapper.sh", "wrapper.py", "execs.py", "exec_stream.py",
                                                 "container.py", "memory.py", "pool.py", "servers.py",
                                                 "preload.py")),
    "local": (_SANDBOXES / "local.py",),
}
# The recipe of benchrun's own sandbox image (Dockerfile, pinned requirements).
IMAGE_RECIPE = _PACKAGE / "sandboxes" / "images"


def judge_digest(backend: str) -> str:
    """sha256 of the judge's files, `backend`'s files and the environment every sample runs with."""
    return _files_digest((*JUDGE_FILES, *SANDBOX_FILES.get(backend, ())), extra=json.dumps(RUN_ENV, sort_keys=True))


def image_digest(backend: str, image: str | None) -> str | None:
    """What the sandbox image is: the digest of benchrun's image recipe when the block
    uses the default image, the name (best given as name@sha256:...) of any other; None
    for the local backend, which runs on the host. The recipe rather than the engine's
    image id, so `check`, `plan` and `report SPEC` give the same ids where no Docker
    engine runs."""
    if backend != "docker":
        return None
    if image:
        return f"image:{image}"
    return "recipe:" + _files_digest(tuple(sorted(p for p in IMAGE_RECIPE.rglob("*") if p.is_file())))


def _files_digest(paths: tuple[Path, ...], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
