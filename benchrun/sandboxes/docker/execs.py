"""One sample's execs in a container: the wrapper's (the program, then each `after`
command) and the judge's. Each returns one value: the result and whether the container
may serve another sample."""
from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from benchrun.sandboxes import base
from benchrun.sandboxes.base import ExecResult, Judgement, Limits
from benchrun.sandboxes.docker.container import JUDGE_DIR, JUDGE_USER, SAMPLE_USER, WORK
from benchrun.sandboxes.docker.exec_stream import exit_code, raw_socket, read_frames
from benchrun.sandboxes.docker.servers import SHIM_PATH, Server
from benchrun.sandboxes.docker.wrapper import parse_status, request, wrapper_command

# Beyond the sample's own timeout: time for the exec to start, unpack files and clean up.
GRACE_S = 10.0

T = TypeVar("T")


@attrs.frozen
class Outcome(Generic[T]):
    """An exec's result, and whether its container may serve another sample (False: a
    limit was hit, something was left, or the exec did not end cleanly)."""

    result: T
    healthy: bool


@attrs.frozen
class Execution(Outcome[ExecResult]):
    """A wrapper exec's outcome, and the sample dir it ran in (the judge reads it)."""

    workdir: str


@attrs.define
class ReadyExec:
    """A wrapper exec started ahead of its sample: it waits on stdin for the request."""

    exec_id: str
    connection: Any
    threads: int
    workdir: str
    preloaded: bool  # the sample's python3 is the warm program's shim

    def close(self) -> None:
        try:
            self.connection.close()
        except OSError:
            pass


def begin(api: Any, container_id: str, threads: int, preloaded: bool, workdir: str | None = None) -> ReadyExec:
    """Start a sample's exec; its wrapper waits for the request on stdin. With `workdir`,
    an exec in that dir of a program that has run (an `after` command)."""
    again = workdir is not None
    workdir = workdir or f"{WORK}/{secrets.token_hex(8)}"
    environment = base.minimal_env(workdir, None, threads=threads)
    if preloaded:
        environment["PATH"] = SHIM_PATH
    exec_id = api.exec_create(
        container_id, wrapper_command(workdir, again), stdin=True, user=SAMPLE_USER,
        environment=environment, workdir=WORK,
    )["Id"]
    return ReadyExec(exec_id, api.exec_start(exec_id, socket=True), threads, workdir, preloaded)


def run_wrapper(api: Any, ready: ReadyExec, archive: bytes, command: list[str], limits: Limits,
                env: Mapping[str, str] | None, retire: Callable[[], None]) -> Execution:
    """Send the request and files to a ready wrapper exec and read its result. When the
    wrapper gives no status line, `retire` stops everything in the container at once."""
    started = time.monotonic()
    raw = raw_socket(ready.connection)
    try:
        raw.sendall(request(limits.timeout_s, command, env) + archive)
        raw.shutdown(socket.SHUT_WR)
        stdout, stderr, ended = read_frames(raw, started + limits.timeout_s + GRACE_S, limits.output_bytes)
    finally:
        ready.connection.close()
    duration = time.monotonic() - started
    status = parse_status(stdout) if ended else None
    truncated = stdout.total + stderr.total > limits.output_bytes
    if status is None:
        # Output over the cap, the exec did not return in time, or the wrapper died:
        # stop everything in that container through the engine.
        # EOF without a status line: the sample killed its own wrapper (e.g. kill(-1)).
        code = exit_code(api, ready.exec_id) if ended and not truncated else None
        retire()
        timed_out = not truncated and duration >= limits.timeout_s
        category = base.categorize(code, timed_out=timed_out, output_truncated=truncated)
        detail = {base.OUTPUT_LIMIT: f"output over {limits.output_bytes} bytes",
                  base.TIMEOUT: "killed by the engine after the timeout"}.get(
            category, "the sample killed the sandbox's supervisor; container recycled")
        result = ExecResult(code, stdout.text(), stderr.text(), duration, category,
                            timed_out=timed_out, output_truncated=truncated, detail=detail)
        return Execution(result, False, ready.workdir)
    timed_out = status.exit_code in (124, 137) and duration >= limits.timeout_s
    oom = status.oom_kills > 0
    category = base.categorize(status.exit_code, timed_out=timed_out, oom_killed=oom,
                               pids_hit=status.pids_hits > 0, output_truncated=truncated)
    detail = {base.OUTPUT_LIMIT: f"output over {limits.output_bytes} bytes",
              base.MEMORY: f"out of memory (limit {limits.memory_bytes} bytes)",
              base.PIDS: f"process limit {limits.pids} reached",
              base.TIMEOUT: f"killed after {limits.timeout_s:g} s"}.get(category, "")
    if status.leftovers:
        detail = (detail + "; " if detail else "") + "leftovers after cleanup: container recycled"
    healthy = not (timed_out or oom or truncated or status.pids_hits or status.leftovers)
    result = ExecResult(status.exit_code, stdout.text(), stderr.text(), duration, category,
                        timed_out=timed_out, oom_killed=oom, output_truncated=truncated, detail=detail)
    return Execution(result, healthy, ready.workdir)


def run_judge(api: Any, container_id: str, program: ExecResult, workdir: str, check: Mapping, limits: Limits,
              env: Mapping[str, str] | None, warm: Server | None, after: tuple[ExecResult, ...] = ()
              ) -> Outcome[Judgement]:
    """The check's exec, as the judge user, over the program's dir `workdir`; `warm`: the
    container's warm judge server, if up."""
    nonce = base.new_nonce()
    exec_id = api.exec_create(
        container_id, ["python3", "-I", "-c", base.JUDGE_SOURCE], stdin=True, user=JUDGE_USER,
        environment=base.minimal_env(JUDGE_DIR, env, threads=max(1, int(limits.cpus))), workdir=JUDGE_DIR,
    )["Id"]
    connection = api.exec_start(exec_id, socket=True)
    raw = raw_socket(connection)
    started = time.monotonic()
    try:
        raw.sendall(base.judge_request(check, program, nonce, workdir, JUDGE_DIR, reap=True,
                                       sample_uid=int(SAMPLE_USER.split(":")[0]),
                                       server=None if warm is None else warm.as_request(), after=after))
        raw.shutdown(socket.SHUT_WR)
        stdout, stderr, ended = read_frames(raw, started + limits.timeout_s + GRACE_S, limits.output_bytes)
    finally:
        connection.close()
    duration = time.monotonic() - started
    verdict = base.take_verdict(stdout, nonce) if ended else None
    truncated = stdout.total + stderr.total > limits.output_bytes
    timed_out = not ended and not truncated
    detail = (f"check output over {limits.output_bytes} bytes" if truncated else
              f"check killed after {limits.timeout_s:g} s" if timed_out else "")
    run = ExecResult(0 if ended else None, stdout.text(), stderr.text(), duration,
                     base.categorize(0 if ended else None, timed_out=timed_out, output_truncated=truncated),
                     timed_out=timed_out, output_truncated=truncated, detail=detail)
    # A judge that died or did not end cleanly: replace the container.
    healthy = verdict is not None and verdict[1]
    judgement = Judgement(program, base.as_check_run(run, verdict[:2] if verdict else None),
                          bool(verdict and verdict[0]), after, verdict[2] if verdict else ())
    return Outcome(judgement, healthy)
