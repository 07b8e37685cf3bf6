"""Model servers benchrun starts itself (llama.cpp, vLLM): a subprocess on a free loopback
port, health-checked before use, its output kept in a log file, stopped at the end."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from benchrun.models.base import ModelError


def log_dir() -> Path:
    """Where server logs go: $BENCHRUN_LOG_DIR, else ~/.cache/benchrun/logs."""
    path = Path(os.environ.get("BENCHRUN_LOG_DIR") or Path.home() / ".cache" / "benchrun" / "logs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout_s: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class ManagedServer:
    """`argv(port)` is the command line; the server is ready when GET `health_path`
    answers 200. Start tries a few ports, since a free port can be taken between
    choosing it and the server binding it."""

    def __init__(self, name: str, argv: Callable[[int], list[str]], *, health_path: str = "/v1/models",
                 startup_timeout_s: float = 120.0, env: dict[str, str] | None = None):
        self.name = name
        self.argv = argv
        self.health_path = health_path
        self.startup_timeout_s = startup_timeout_s
        self.env = env
        self.port: int | None = None
        self.log_path = log_dir() / f"{name}-{os.getpid()}.log"
        self._process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        failure = ""
        for _ in range(3):
            self.port = port = free_port()
            failure = self._try_start(port)
            if not failure:
                return
            if "timed out" in failure:
                break
        raise ModelError("unavailable", f"the {self.name} server did not start: {failure} (log: {self.log_path})")

    def _try_start(self, port: int) -> str:
        with open(self.log_path, "ab") as log:
            log.write(f"\n$ {' '.join(self.argv(port))}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self.argv(port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, **(self.env or {})}, start_new_session=True,
            )
        deadline = time.monotonic() + self.startup_timeout_s
        url = f"http://127.0.0.1:{port}{self.health_path}"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return f"it exited with code {self._process.returncode}: {self._log_tail()}"
            if answers(url, timeout_s=1.0):
                return ""
            time.sleep(0.2)
        self.stop()
        return f"it timed out after {self.startup_timeout_s:g}s waiting for {url}"

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _log_tail(self, lines: int = 5) -> str:
        try:
            tail = self.log_path.read_text(errors="replace").strip().splitlines()[-lines:]
        except OSError:
            return ""
        return " | ".join(tail)
