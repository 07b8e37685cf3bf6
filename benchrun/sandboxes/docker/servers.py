"""The warm servers a container may run beside its samples, started before any sample
runs in it: the warm judge (judge_runner.py `serve`, as the judge's uid) and the warm
program's preloaded interpreter (preload.py `serve`, as root with SETUID and SETGID
only). Each reports its pid and start time on its own stream; one that does not come up
leaves that container's samples cold. Also which programs the preloaded interpreter
serves (`program_env`)."""
from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from benchrun.sandboxes import base
from benchrun.sandboxes.base import Files
from benchrun.sandboxes.docker.container import JUDGE_DIR, JUDGE_USER, PRELOAD_DIR
from benchrun.sandboxes.docker.exec_stream import raw_socket, read_frames
from benchrun.sandboxes.docker.preload import PRELOAD, READY_MARK, SHIM
from benchrun.sandboxes.judge_runner import import_statements

PRELOAD_SOURCE = Path(__file__).with_name("preload.py").read_text(encoding="utf-8")
# The warm judge server's socket: in the judge's tmpfs, which no sample can enter.
WARM_SOCKET = f"{JUDGE_DIR}/.warm/socket"
# How long a server may take to import its libraries before the container goes cold.
WARM_START_S = 120.0
# A sample's PATH: the system's, with the preloaded interpreter's shim first when it serves.
SAMPLE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SHIM_PATH = f"{os.path.dirname(SHIM)}:{SAMPLE_PATH}"


@attrs.frozen
class Server:
    """A server that came up: its pid and start time (pids are reused), and its socket."""

    pid: int
    start: str
    socket: str | None = None

    def as_request(self) -> dict[str, Any]:
        """How the judge is told of the warm judge server it may hand a check to."""
        return {"pid": self.pid, "start": self.start, "socket": self.socket}


def start_warm_judge(api: Any, container_id: str, threads: int) -> Server | None:
    """Start the container's warm judge server before any sample runs in it. None if it
    does not come up: that container's samples are then judged cold."""
    server = _start_server(api, container_id, threads, ["python3", "-I", "-c", base.JUDGE_SOURCE, "serve",
                                                        WARM_SOCKET], JUDGE_USER, JUDGE_DIR, base.WARM_MARK)
    return None if server is None else attrs.evolve(server, socket=WARM_SOCKET)


def start_preloaded_interpreter(api: Any, container_id: str, threads: int, env: Mapping[str, str]) -> Server | None:
    """Start the warm program's preloaded interpreter, with the environment samples run
    with (its PYTHONHASHSEED, thread counts). None if it does not come up."""
    return _start_server(api, container_id, threads, ["python3", "-s", "-c", PRELOAD_SOURCE, "serve"],
                         "0:0", PRELOAD_DIR, READY_MARK, env)


def _start_server(api: Any, container_id: str, threads: int, command: list[str], user: str, home: str,
                  mark: str, env: Mapping[str, str] | None = None) -> Server | None:
    """Start a long-lived server exec and read its pid and start time from its own stream
    (nothing else writes there); None if it does not come up (its samples then go cold)."""
    try:
        exec_id = api.exec_create(
            container_id, command, stdin=False, user=user,
            environment=base.minimal_env(home, env, threads=threads), workdir=home,
        )["Id"]
        connection = api.exec_start(exec_id, socket=True)
    except Exception:  # noqa: BLE001  cold
        return None
    try:
        stdout, _, _ = read_frames(raw_socket(connection), time.monotonic() + WARM_START_S, 1 << 20,
                                   until=mark.encode())
    finally:
        connection.close()
    fields = stdout.raw().partition(mark.encode())[2].split()
    if len(fields) < 2 or not fields[0].isdigit():
        return None
    return Server(int(fields[0]), fields[1].decode())


# A program none of whose files imports a preloaded library runs as a fresh `python3` (its
# PATH without the shim): a fork of the preloaded interpreter would cost it more (page
# tables, copied pages, teardown) than the few modules it imports. A word match on import
# statements: a dynamic import only runs slower, never differently.
_HEAVY_IMPORT = import_statements(PRELOAD)


def program_env(preloaded: bool, files: Files, env: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """The program's environment, with the shim left off PATH when the program is light
    (`preloaded`: the container's preloaded interpreter is up)."""
    if not preloaded:
        return env
    for name, content in files.items():
        if not name.endswith(".py"):
            continue  # data files: a program's imports are in its .py files
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
        if _HEAVY_IMPORT.search(text):
            return env
    return {**(env or {}), "PATH": SAMPLE_PATH}
