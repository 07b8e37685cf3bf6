"""The local backend: a subprocess per sample, for machines without Docker. Weaker.

Each sample gets a private temp dir, an environment with nothing from the host, rlimits
(address space, CPU time, processes, file size) set by `prlimit`, its own session whose
process group is killed on timeout, and, when bubblewrap is installed, no network, its own
PID namespace (every process dies with it) and a read-only view of the host file system.
Without bubblewrap the program can reach the network and read whatever the user can.
"""
from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Self

import psutil

from benchrun.sandboxes import base
from benchrun.sandboxes.base import ExecResult, Files, Limits, OutputTail

MARK_VARIABLE = "BENCHRUN_SAMPLE"  # finds a sample's escaped processes when there is no bwrap


class LocalSandbox:
    def __init__(self, use_bwrap: bool | None = None, path_prefix: str = "") -> None:
        """`path_prefix`: dirs searched first for programs (e.g. a venv's bin with the
        task libraries), before this process's own PATH."""
        self.path = ":".join(p for p in (path_prefix, os.environ.get("PATH", "/usr/bin:/bin")) if p)
        available = shutil.which("bwrap") is not None and _bwrap_works()
        if use_bwrap and not available:
            raise base.SandboxUnavailable("bubblewrap requested but `bwrap` is not usable here")
        self.bwrap = available if use_bwrap is None else use_bwrap
        self.prlimit = shutil.which("prlimit")

    def run(
        self, files: Files, command: list[str], limits: Limits, env: Mapping[str, str] | None = None
    ) -> ExecResult:
        with tempfile.TemporaryDirectory(prefix="benchrun-sample-") as workdir:
            return self._run_in(workdir, files, command, limits, env)

    def judge(
        self, files: Files, command: list[str], check: Mapping, limits: Limits, env: Mapping[str, str] | None = None,
        after: Sequence[list[str]] = (),
    ) -> base.Judgement:
        """As Docker's, but the judge runs as the same user as the program: its process
        tree is killed first and the judge is non-dumpable, yet nothing stops a program
        that escaped both (without bubblewrap) from touching the judge's copy."""
        with tempfile.TemporaryDirectory(prefix="benchrun-sample-") as workdir, \
                tempfile.TemporaryDirectory(prefix="benchrun-judge-") as scratch:
            program = self._run_in(workdir, files, command, limits, env)
            if not base.judgeable(program):
                return base.Judgement(program, None, False)
            runs = []
            for again in after:  # in the program's dir, once its process tree is gone
                runs.append(self._run_in(workdir, {}, again, limits, env))
                if not base.judgeable(runs[-1]):
                    return base.after_failure(program, runs, again)
            nonce = base.new_nonce()
            request = base.judge_request(check, program, nonce, workdir, scratch, reap=False, after=runs)
            environment = base.minimal_env(scratch, env, threads=max(1, int(limits.cpus)))
            environment["PATH"] = self.path
            environment[MARK_VARIABLE] = marker = os.urandom(8).hex()
            argv = ["python3", "-I", "-c", base.JUDGE_SOURCE]
            try:
                check_run, verdict = self._supervise(argv, scratch, environment, limits, marker, request, nonce)
            except OSError as error:
                return base.Judgement(program, ExecResult(None, "", "", 0.0, base.SANDBOX_ERROR, detail=str(error)), False)
            return base.Judgement(program, base.as_check_run(check_run, verdict), bool(verdict and verdict[0]),
                                  tuple(runs), verdict[2] if verdict else ())

    def _run_in(self, workdir: str, files: Files, command: list[str], limits: Limits, env) -> ExecResult:
        for name, content in files.items():
            path = Path(workdir, base.check_relative(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)
        marker = os.urandom(8).hex()
        environment = base.minimal_env(workdir, env, threads=max(1, int(limits.cpus)))
        environment["PATH"] = self.path
        environment[MARK_VARIABLE] = marker
        argv = self._wrap(command, workdir, limits)
        try:
            return self._supervise(argv, workdir, environment, limits, marker)[0]
        except OSError as error:
            return ExecResult(None, "", "", 0.0, base.SANDBOX_ERROR, detail=f"could not start: {error}")

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _wrap(self, command: list[str], workdir: str, limits: Limits) -> list[str]:
        argv = list(command)
        if self.prlimit:
            # NPROC counts every process of the user, so the cap is what runs now plus
            # the sample's share (and root ignores it unless bwrap drops privileges).
            nproc = _user_process_count() + limits.pids
            argv = [
                self.prlimit, f"--as={limits.memory_bytes}", f"--nproc={nproc}",
                f"--cpu={int(limits.timeout_s * max(limits.cpus, 1)) + 1}",
                f"--fsize={max(limits.memory_bytes, limits.output_bytes)}", "--", *argv,
            ]
        if self.bwrap:
            argv = [
                "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp", "--tmpfs", "/dev/shm", "--bind", workdir, workdir, "--chdir", workdir,
                *([] if limits.network else ["--unshare-net"]),
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
                *(["--unshare-user", "--uid", "65534", "--gid", "65534"] if os.geteuid() == 0 else []),
                "--", *argv,
            ]
        return argv

    def _supervise(self, argv, workdir, environment, limits, marker, stdin: bytes | None = None,
                   nonce: str | None = None) -> tuple[ExecResult, tuple[bool, bool] | None]:
        """Run to the end or a limit: (result, the judge's verdict when `nonce` is given)."""
        started = time.monotonic()
        process = subprocess.Popen(
            argv, cwd=workdir, env=environment, stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )
        if stdin is not None:
            threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True).start()
        streams = {process.stdout: OutputTail(), process.stderr: OutputTail()}
        deadline = started + limits.timeout_s
        timed_out = truncated = False
        with selectors.DefaultSelector() as selector:
            for pipe in streams:
                selector.register(pipe, selectors.EVENT_READ)
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                if process.poll() is not None:
                    remaining = min(remaining, 0.5)  # escaped children may hold the pipes open
                events = selector.select(remaining)
                if not events and process.poll() is not None:
                    break
                for key, _ in events:
                    data = os.read(key.fd, 1 << 16)
                    if data:
                        streams[key.fileobj].add(data)
                    else:
                        selector.unregister(key.fileobj)
                if sum(s.total for s in streams.values()) > limits.output_bytes:
                    truncated = True
                    break
        duration = time.monotonic() - started
        if not (timed_out or truncated):
            try:  # a natural exit lets bwrap tear its PID namespace down completely
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        self._kill(process, marker)
        stdout, stderr = streams[process.stdout], streams[process.stderr]
        verdict = base.take_verdict(stdout, nonce) if nonce else None
        process.stdout.close()
        process.stderr.close()
        code = process.returncode
        memory = code not in (0, None) and ("MemoryError" in stderr.text()[-2000:] or code == -signal.SIGSEGV)
        pids = code not in (0, None) and "Resource temporarily unavailable" in stderr.text()[-2000:]
        category = base.categorize(code, timed_out=timed_out, oom_killed=memory, pids_hit=pids,
                                   output_truncated=truncated)
        return ExecResult(code, stdout.text(), stderr.text(), duration, category, timed_out=timed_out,
                          oom_killed=memory, output_truncated=truncated), verdict

    def _kill(self, process: subprocess.Popen, marker: str) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        # Double-forked daemons leave the process group, and bwrap tears its PID namespace
        # down asynchronously: find them by the marker variable they inherited.
        for _ in range(20):
            if not _kill_marked(marker):
                break
            time.sleep(0.05)


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except OSError:  # the judge died before reading it all: it gives no verdict
        pass


def _kill_marked(marker: str) -> int:
    """Kill the processes carrying the sample's marker variable; how many there were."""
    found = 0
    for proc in psutil.process_iter():
        try:
            if proc.environ().get(MARK_VARIABLE) == marker:
                proc.kill()
                found += 1
        except (psutil.Error, OSError):
            continue
    return found


def _user_process_count() -> int:
    uid = os.getuid()
    return sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid)


_BWRAP_OK: bool | None = None


def _bwrap_works() -> bool:
    """bwrap may be installed yet unable to create namespaces (e.g. inside a container)."""
    global _BWRAP_OK
    if _BWRAP_OK is None:
        try:
            probe = subprocess.run(
                ["bwrap", "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "true"],
                capture_output=True, timeout=10, check=False,
            )
            _BWRAP_OK = probe.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            _BWRAP_OK = False
    return _BWRAP_OK
