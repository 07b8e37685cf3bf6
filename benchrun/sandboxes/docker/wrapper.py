"""The sample's wrapper (wrapper.sh, shipped beside this module): the exec's command, the
request line and tar it reads on stdin, and the status line it ends with."""
from __future__ import annotations

import io
import re
import shlex
import tarfile
import time
from collections.abc import Mapping
from pathlib import Path

import attrs

from benchrun.sandboxes import base
from benchrun.sandboxes.base import Files, OutputTail

WRAPPER = Path(__file__).with_name("wrapper.sh").read_text(encoding="utf-8")
STATUS_MARK = b"\x1eBENCHRUN "


@attrs.frozen
class Status:
    """The wrapper's status line: the command's exit code, and what the clean-up found."""

    exit_code: int
    oom_kills: int
    pids_hits: int
    leftovers: int  # not 0: processes, /dev/shm files or IPC objects of the sample were left


def wrapper_command(workdir: str, again: bool) -> list[str]:
    """The exec's command: a fresh sample dir, or (`again`) the dir of a program that has run."""
    return ["sh", "-c", WRAPPER, "benchrun", workdir, *(["again"] if again else [])]


_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# The wrapper's own variables: a caller's variable of the same name would be overwritten.
_WRAPPER_VARS = frozenset(re.findall(r"(?:\b|\$)([A-Za-z_][A-Za-z0-9_]*)=", WRAPPER)) | {
    "k", "v", "p", "f", "req", "_"}


def _exportable(name: str) -> bool:
    return bool(_SHELL_NAME.match(name)) and name not in _WRAPPER_VARS


def _quote(word: str) -> str:
    # One line for the wrapper's `read`: newlines inside values come from its $nl.
    return shlex.quote(word).replace("\n", "'\"$nl\"'")


def request(timeout_s: float, command: list[str], env: Mapping[str, str] | None) -> bytes:
    """The wrapper's request line: the caller's environment, then the timeout and the command."""
    env = env or {}
    exports = [f"{k}={_quote(v)}" for k, v in env.items() if _exportable(k)]
    # Names a shell cannot export, or that the wrapper uses, reach the program through env(1).
    odd = [_quote(f"{k}={v}") for k, v in env.items() if not _exportable(k)]
    words = [f"{timeout_s:g}", *(["env", "--", *odd] if odd else []), *(_quote(w) for w in command)]
    line = (f"export {' '.join(exports)}; " if exports else "") + "set -- " + " ".join(words)
    return line.encode() + b"\n"


def tar(files: Files) -> bytes:
    """The sample's files as the tar the wrapper unpacks, owned by the sample's uid."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
        for name, content in sorted(files.items()):
            data = content.encode() if isinstance(content, str) else bytes(content)
            info = tarfile.TarInfo(base.check_relative(name))
            info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
            info.uid = info.gid = 65534
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def parse_status(stdout: OutputTail) -> Status | None:
    """Take the wrapper's status line off the end of stdout."""
    text = stdout.raw()
    mark = text.rfind(STATUS_MARK)
    if mark < 0:
        return None
    fields = text[mark + len(STATUS_MARK) :].split()
    stdout.cut(mark)
    try:
        return Status(*(int(f) for f in fields[:4]))
    except (TypeError, ValueError):
        return None
