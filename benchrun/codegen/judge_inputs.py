"""What decides a sample's verdict besides the task and the program, as digests for unit
ids: the files every sample runs with, and the sandbox image it runs in. Change any of
them and every unit judged with it runs again; nothing else does.

The judge's files are listed once, in JUDGE_FILES: a new file that goes into every
sample's work dir, or that decides how the sample is run, belongs there.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from benchrun.codegen.tasks import BENCHCHECK_FILES, RUN_ENV

_PACKAGE = Path(__file__).parents[1]
# Files whose bytes decide every verdict (the task's own check.py is in its digest): the
# helpers checks import (every file of the benchcheck package, sorted), how a program is
# judged, and the judge that runs in the sandbox.
JUDGE_FILES: tuple[Path, ...] = (
    *BENCHCHECK_FILES,
    _PACKAGE / "codegen" / "judging.py",
    _PACKAGE / "codegen" / "humaneval.py",  # the recorder HumanEval samples run
    _PACKAGE / "sandboxes" / "judge_runner.py",
)
# The recipe of benchrun's own sandbox image (Dockerfile, pinned requirements).
IMAGE_RECIPE = _PACKAGE / "sandboxes" / "images"


def judge_digest() -> str:
    """sha256 of the judge's files and the environment every sample runs with."""
    return _files_digest(JUDGE_FILES, extra=json.dumps(RUN_ENV, sort_keys=True))


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
