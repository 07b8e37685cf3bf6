"""The Docker backend: a warm pool of locked-down containers, one sample at a time each.

A container runs only `sleep infinity` under docker-init, as uid 65533. Each sample is one
`exec` as uid 65534 of a small shell wrapper (`_WRAPPER`) that clears /work of the previous
sample, receives the sample's command and environment as one line on stdin, then its files
as a tar, runs the command in a fresh directory of the /work tmpfs under `timeout -s KILL`,
then kills every process of uid 65534 (double-forked daemons included: `kill -9 -1` reaches
all of them, never the keeper or init, which belong to another uid), verifies none is left,
wipes /dev/shm, removes System V IPC objects and POSIX queues, and prints a status line.
A task's `after` commands each run in one more such exec, in the program's dir.

A judged sample (`judge`) then gets a second exec, as uid 65532, which the program never
was: `judge_runner.py`, whose request (and verdict nonce) arrives on stdin. It copies the
program's dir into /judge, a tmpfs only uid 65532 can enter, runs the check there, kills
every other process of uid 65532 and prints the verdict.
With `warm_judge = True` (`docker(warm_judge = on)` in a spec), each container also runs
the warm judge server (judge_runner.py `serve`, as uid 65532), started with the container:
libraries imported once, a pristine fork per judged sample whose check imports one of them
and per artefact loader (a light check is judged in its own exec, as cold).
With `warm_program = True` (`docker(warm_program = on)`), each container also runs the
preloaded interpreter (preload.py `serve`, the container's only root process, with the
SETUID and SETGID capabilities and no other): the libraries the corpus's programs import,
imported once; the sample's `python3 FILE` runs in a fork of it that became uid 65534
before touching anything of the sample (see preload.py for what it keeps and what a
program sees). The container's config user is then root, so that exec may have those
capabilities; its PID 1 is then not docker-init (which would be root with them) but a
reaper that `setpriv` started as uid 65533, with none. A program none of whose .py files
imports a preloaded library runs as a fresh python3 (the shim is left off its PATH).
The memory limit is exact with either server: the container starts with room for them
(WARM_RESERVE_BYTES, PRELOAD_RESERVE_BYTES); once they are up and before any sample runs,
it is set (`docker update`) to the sample's `memory` plus what the container then holds
that a sample could not reclaim (`_fit_memory`). The sample's processes and every judge
are the OOM killer's first choice (`oom_score_adj` 1000), never a server.
Anything unexpected (timeout, OOM, output over the cap, leftovers, a missing status line, an
exec that does not return) retires the container through the engine and a fresh one takes
its place in the background.

Starting an exec costs the engine about 40 ms (runc joins the container), more than the rest
of a trivial sample. So once a sample has been cleaned up, the next sample's exec is started
at once and waits on its stdin: that cost then overlaps the time between samples. It is
still one fresh exec per sample, started only after the previous sample was verified gone.
"""
from __future__ import annotations

import atexit
import io
import os
import queue
import re
import secrets
import shlex
import socket
import struct
import tarfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Self

import attrs
import docker
import psutil

from benchrun.sandboxes import base
from benchrun.sandboxes.base import ExecResult, Files, Limits, OutputTail
from benchrun.sandboxes.image import connect, default_image, require_image
from benchrun.sandboxes.judge_runner import import_statements
from benchrun.sandboxes.preload import PRELOAD, READY_MARK, SHIM

PRELOAD_SOURCE = (Path(__file__).with_name("preload.py")).read_text(encoding="utf-8")

LABEL = "benchrun.sandbox"
KEEPER_USER = "65533:65533"
SAMPLE_USER = "65534:65534"
JUDGE_USER = "65532:65532"
WORK = "/work"
JUDGE_DIR = "/judge"
# The warm judge server's socket: in the judge's tmpfs, which no sample can enter.
WARM_SOCKET = f"{JUDGE_DIR}/.warm/socket"
# Added to a container's memory limit when it holds the warm judge server (about 390 MB
# resident after its imports, measured), so a program keeps all of `limits.memory_bytes`.
WARM_RESERVE_BYTES = 512 << 20
# The warm program's preloaded interpreter: about 330 MB resident after its imports (measured).
PRELOAD_RESERVE_BYTES = 512 << 20
DOCKER_MIN_MEMORY_BYTES = 6 << 20  # the engine refuses a container limit below this
# Fitting the limit to the servers (_fit_memory): how far below their charge to look, and
# how close to get (cgroup v1 counts a CPU's charges in batches of a few pages anyway).
SQUEEZE_BYTES = 128 << 20
SQUEEZE_STEP_BYTES = 1 << 20
PRELOAD_DIR = "/preload"  # root's tmpfs: the shim, which no sample can replace
SAMPLE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# PID 1 of a warm-program container in place of docker-init, which would run as root with
# the server's capabilities (that container's config user is root): it reaps orphans as
# docker-init does, as the keeper's uid, with no capability. SIGCHLD is blocked and waited
# for, so no child's end is missed between two waits.
_REAPER = """
import os, signal
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
while True:
    signal.sigwaitinfo({signal.SIGCHLD})
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass
"""
# How long the server may take to import its libraries before the container goes cold.
WARM_START_S = 120.0
# Beyond the sample's own timeout: time for the exec to start, unpack files and clean up.
GRACE_S = 10.0
STATUS_MARK = b"\x1eBENCHRUN "

# $1 sample dir, made before the request arrives (with $2 = again: the dir of a program
# that has run, for one of the task's `after` commands; no tar then). stdin: one request
# line (`_request`: exports, then `set -- TIMEOUT CMD...`), then the tar. Only shell builtins on the common
# path, so a sample costs the command plus `timeout`, `tar` and one `rm`. (`kill -0 -1`
# cannot tell whether processes are left: it succeeds whenever any process exists; `[ -O ]`
# on /proc/PID can.)
_WRAPPER = r"""
nl='
'
d=$1 m=$2
if [ "$m" = again ]; then made=0; else
  rm -rf /work/* /work/.[!.]* /work/..?* 2>/dev/null
  mkdir -m 755 "$d"; made=$?
fi
IFS= read -r req || { [ "$m" = again ] || rmdir "$d"; exit 0; }
eval "$req"
t=$1; shift
count() { c=0; [ -r "$1" ] || return 0; while read -r k v; do [ "$k" = "$2" ] && c=$v; done < "$1"; }
mem=/sys/fs/cgroup/memory/memory.oom_control; [ -r $mem ] || mem=/sys/fs/cgroup/memory.events
pid=/sys/fs/cgroup/pids/pids.events; [ -r $pid ] || pid=/sys/fs/cgroup/pids.events
count $mem oom_kill; oom0=$c; count $pid max; pids0=$c
if [ $made = 0 ] && cd "$d" && { [ "$m" = again ] || tar -x -o -m -f -; }; then
  # The OOM killer's first choice: the sample, never a warm server beside it.
  { echo 1000 > /proc/self/oom_score_adj; } 2>/dev/null
  timeout -s KILL "$t" "$@" </dev/null; rc=$?
else
  rc=125; echo "benchrun: could not unpack the sample's files" >&2
fi
cd /
ours() { o=0; for p in /proc/[0-9]*; do [ -O "$p" ] && [ "$p" != /proc/$$ ] && o=$((o+1)); done; }
kill -9 -1 2>/dev/null; ours; n=0
while [ $o -gt 0 ] && [ $n -lt 50 ]; do n=$((n+1)); sleep 0.02; kill -9 -1 2>/dev/null; ours; done
left=$((o>0))
# Nothing of the sample runs now: let the judge use it all, also through the absolute
# paths the program recorded (MLflow writes beside a registered model's artifacts as it
# loads them).
[ $o = 0 ] && chmod -R a+rwX "$d" 2>/dev/null
rm -rf /dev/shm/* /dev/shm/.[!.]* 2>/dev/null
for f in /dev/shm/* /dev/shm/.[!.]*; do [ -e "$f" ] && left=$((left+2)); done
# System V IPC objects and POSIX message queues outlive their processes (and hold memory
# charged to the container): remove them (the sample created them, so it may), and
# recycle the container if any is left.
ipc() { i=0; for f in /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg; do
  [ -r $f ] && { read -r _; while read -r _; do i=$((i+1)); done; } < $f; done
  for f in /dev/mqueue/* /dev/mqueue/.[!.]*; do [ -e "$f" ] && i=$((i+1)); done; }
ipc; if [ $i -gt 0 ]; then
  ipcrm --all 2>/dev/null; rm -f /dev/mqueue/* /dev/mqueue/.[!.]* 2>/dev/null; ipc; [ $i -gt 0 ] && left=$((left+4))
fi
count $mem oom_kill; oom1=$c; count $pid max; pids1=$c
printf '\036BENCHRUN %s %s %s %s\n' "$rc" $((oom1-oom0)) $((pids1-pids0)) "$left"
"""


@attrs.frozen
class _Shape:
    """The container-level limits; a container serves only samples with the same shape."""

    memory_bytes: int
    cpus: float
    pids: int
    network: bool

    @classmethod
    def of(cls, limits: Limits) -> _Shape:
        return cls(limits.memory_bytes, limits.cpus, limits.pids, limits.network)


@attrs.define
class _Ready:
    """An exec started ahead of its sample: the wrapper waits on stdin for the request."""

    exec_id: str
    connection: object
    threads: int
    workdir: str
    preload: bool  # the sample's python3 is the warm program's shim

    def close(self) -> None:
        try:
            self.connection.close()
        except OSError:
            pass


@attrs.define
class _Slot:
    container: object | None
    shape: _Shape | None
    used: int = 0
    error: str = ""  # why the last container start failed
    ready: _Ready | None = None
    warm: dict | None = None  # the warm judge server: pid, start time, socket
    warm_tried: bool = False  # started (or failed to start) in this container
    preload: dict | None = None  # the warm program's preloaded interpreter: pid, start time
    preload_tried: bool = False
    memory_limit: int | None = None  # the container's limit once fitted to its servers

    def drop_ready(self) -> None:
        if self.ready is not None:
            self.ready.close()
            self.ready = None


@attrs.frozen
class _Status:
    exit_code: int
    oom_kills: int
    pids_hits: int
    leftovers: int


class DockerSandbox:
    """A pool of `parallelism` warm containers; `run` is safe to call from many threads."""

    def __init__(
        self,
        image: str | None = None,
        parallelism: int = 1,
        limits: Limits | None = None,
        recycle_after: int = 200,
        client: docker.DockerClient | None = None,
        warm: bool = True,
        warm_judge: bool = False,
        warm_program: bool = False,
    ) -> None:
        self.image = image or default_image()
        # Fixed for the pool's life: each container's memory limit is set from them when it starts.
        self._warm_judge, self._warm_program = warm_judge, warm_program
        # The first sample's environment: the preloaded interpreter starts with it (its
        # PYTHONHASHSEED, thread counts), so samples that share it can run warm.
        self._program_env: dict[str, str] | None = None
        self.recycle_after = recycle_after
        self._client = client or connect()
        require_image(self._client, self.image)
        remove_orphans(self._client)
        self._cpus_max = float(self._client.info().get("NCPU") or os.cpu_count() or 1)
        self._idle: queue.Queue[_Slot] = queue.Queue()
        self._lock = threading.Lock()
        self._live: set[str] = set()
        self._closed = False
        self._background: list[threading.Thread] = []
        shape = _Shape.of(limits or Limits())
        slots = [_Slot(None, shape) for _ in range(max(1, parallelism))]
        if warm:
            starters = [threading.Thread(target=self._start, args=(slot,)) for slot in slots]
            for thread in starters:
                thread.start()
            for thread in starters:
                thread.join()
        for slot in slots:
            self._idle.put(slot)
        atexit.register(self.close)  # no containers left behind when the run ends abruptly

    # ------------------------------------------------------------------ public

    @property
    def warm_judge(self) -> bool:
        return self._warm_judge

    @property
    def warm_program(self) -> bool:
        return self._warm_program

    def run(
        self, files: Files, command: list[str], limits: Limits, env: Mapping[str, str] | None = None
    ) -> ExecResult:
        def program(slot: _Slot):
            self._preload(slot, env)
            return self._execute(slot, _tar(files), command, limits, _route(slot, files, env))

        return self._with_slot(limits, program)

    def judge(
        self, files: Files, command: list[str], check: Mapping, limits: Limits, env: Mapping[str, str] | None = None,
        after: Sequence[list[str]] = (),
    ) -> base.Judgement:
        def both(slot: _Slot):
            if self._warm_judge and not slot.warm_tried:
                # Before this sample's program: no process of any sample is alive now.
                self._start_warm_judge_fitted(slot)
            self._preload(slot, env)
            program, healthy, workdir = self._execute(slot, _tar(files), command, limits, _route(slot, files, env),
                                                      keep=True)
            if not healthy or not base.judgeable(program):
                return base.Judgement(program, None, False), healthy
            runs = []
            for again in after:  # each a fresh exec in the program's dir, once its processes are gone
                run, healthy, _ = self._execute(slot, b"", again, limits, env, keep=True, workdir=workdir)
                runs.append(run)
                if not healthy or not base.judgeable(run):
                    return base.after_failure(program, runs, again), healthy
            return self._judge(slot, program, workdir, check, limits, env, tuple(runs))

        return self._with_slot(limits, both, judged=True)

    def _with_slot(self, limits: Limits, work, judged: bool = False):
        """`work(slot)` -> (result, healthy) on an idle container of the right shape; then a
        sick container is replaced, a healthy one readied for the next sample."""
        if self._closed:
            raise RuntimeError("sandbox is closed")
        slot = self._idle.get()
        healthy = False
        try:
            shape = _Shape.of(limits)
            if slot.container is None or slot.shape != shape:
                slot.drop_ready()
                self._retire(slot.container)
                slot.container, slot.shape, slot.used = None, shape, 0
                self._start(slot)
                if slot.container is None:
                    error = _error(f"could not start a sandbox container: {slot.error}")
                    return base.Judgement(error, None, False) if judged else error
            result, healthy = work(slot)[:2]
            return result
        except Exception as error:  # noqa: BLE001  engine trouble: report it on the sample, keep the run going
            failed = _error(f"{error.__class__.__name__}: {error}")
            return base.Judgement(failed, None, False) if judged else failed
        finally:
            slot.used += 1
            if healthy and slot.used < self.recycle_after:
                self._ready_in_background(slot)
            else:
                self._replace_in_background(slot)

    def close(self) -> None:
        atexit.unregister(self.close)
        with self._lock:
            self._closed = True
            background = list(self._background)
        for thread in background:
            thread.join()
        while True:
            try:
                self._idle.get_nowait().drop_ready()
            except queue.Empty:
                break
        with self._lock:
            live = list(self._live)
        for container_id in live:
            self._retire(container_id)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def container_ids(self) -> list[str]:
        """Ids of the pool's live containers (for status and tests)."""
        with self._lock:
            return sorted(self._live)

    # ------------------------------------------------------------------ one sample

    def _begin(self, slot: _Slot, threads: int, workdir: str | None = None) -> _Ready:
        """Start a sample's exec; its wrapper waits for the request on stdin. With
        `workdir`, an exec in that dir of a program that has run (an `after` command)."""
        again = workdir is not None
        workdir = workdir or f"{WORK}/{secrets.token_hex(8)}"
        api = self._client.api
        environment = base.minimal_env(workdir, None, threads=threads)
        if slot.preload is not None:
            environment["PATH"] = f"{os.path.dirname(SHIM)}:{SAMPLE_PATH}"
        exec_id = api.exec_create(
            slot.container, ["sh", "-c", _WRAPPER, "benchrun", workdir, *(["again"] if again else [])], stdin=True,
            user=SAMPLE_USER,
            environment=environment, workdir=WORK,
        )["Id"]
        return _Ready(exec_id, api.exec_start(exec_id, socket=True), threads, workdir, slot.preload is not None)

    def _execute(self, slot: _Slot, archive, command, limits, env, keep=False, workdir=None) -> tuple:
        """The program's exec: (result, healthy[, its dir when `keep`: the judge reads it]).
        With `workdir`, an `after` command in the dir of the program that ran there."""
        container_id, threads = slot.container, max(1, int(limits.cpus))
        if workdir is not None:
            ready = self._begin(slot, threads, workdir)
        else:
            ready, slot.ready = slot.ready, None
        if ready is None or ready.threads != threads or ready.preload != (slot.preload is not None):
            if ready is not None:
                ready.close()
            ready = self._begin(slot, threads)
        exec_id, connection, workdir = ready.exec_id, ready.connection, ready.workdir
        api = self._client.api
        started = time.monotonic()
        raw = getattr(connection, "_sock", connection)
        try:
            raw.sendall(_request(limits.timeout_s, command, env) + archive)
            raw.shutdown(socket.SHUT_WR)
            stdout, stderr, ended = _read_frames(raw, started + limits.timeout_s + GRACE_S, limits.output_bytes)
        finally:
            connection.close()
        duration = time.monotonic() - started
        status = _parse_status(stdout) if ended else None
        truncated = stdout.total + stderr.total > limits.output_bytes
        if status is None:
            # Output over the cap, the exec did not return in time, or the wrapper died:
            # stop everything in that container through the engine.
            # EOF without a status line: the sample killed its own wrapper (e.g. kill(-1)).
            code = _exit_code(api, exec_id) if ended and not truncated else None
            self._retire(container_id)
            timed_out = not truncated and duration >= limits.timeout_s
            category = base.categorize(code, timed_out=timed_out, output_truncated=truncated)
            detail = {base.OUTPUT_LIMIT: f"output over {limits.output_bytes} bytes",
                      base.TIMEOUT: "killed by the engine after the timeout"}.get(
                category, "the sample killed the sandbox's supervisor; container recycled")
            result = ExecResult(code, stdout.text(), stderr.text(), duration, category,
                                timed_out=timed_out, output_truncated=truncated, detail=detail)
            return (result, False, workdir) if keep else (result, False)
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
        return (result, healthy, workdir) if keep else (result, healthy)

    def _judge(self, slot: _Slot, program: ExecResult, workdir: str, check, limits, env, after=()) -> tuple:
        """The check's exec, as the judge user, over the program's dir: (Judgement, healthy)."""
        nonce = base.new_nonce()
        api = self._client.api
        exec_id = api.exec_create(
            slot.container, ["python3", "-I", "-c", base.JUDGE_SOURCE], stdin=True, user=JUDGE_USER,
            environment=base.minimal_env(JUDGE_DIR, env, threads=max(1, int(limits.cpus))), workdir=JUDGE_DIR,
        )["Id"]
        connection = api.exec_start(exec_id, socket=True)
        raw = getattr(connection, "_sock", connection)
        started = time.monotonic()
        try:
            raw.sendall(base.judge_request(check, program, nonce, workdir, JUDGE_DIR, reap=True,
                                           sample_uid=int(SAMPLE_USER.split(":")[0]), server=slot.warm,
                                           after=after))
            raw.shutdown(socket.SHUT_WR)
            stdout, stderr, ended = _read_frames(raw, started + limits.timeout_s + GRACE_S, limits.output_bytes)
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
        judgement = base.Judgement(program, base.as_check_run(run, verdict), bool(verdict and verdict[0]), after,
                                   verdict[2] if verdict else ())
        return judgement, healthy

    # ------------------------------------------------------------------ containers

    def _start(self, slot: _Slot) -> None:
        shape = slot.shape
        memory = shape.memory_bytes
        slot.warm, slot.warm_tried, slot.preload, slot.preload_tried = None, False, None, False
        slot.memory_limit = None
        # The warm program's server is an exec as root with SETUID and SETGID; Docker gives
        # an exec capabilities only when the container's user is root, so PID 1 then drops
        # to the keeper's uid itself (losing every capability) and reaps orphans in place
        # of docker-init.
        keeper = (["setpriv", f"--reuid={KEEPER_USER.split(':')[0]}", f"--regid={KEEPER_USER.split(':')[1]}",
                   "--clear-groups", "--inh-caps=-all", "python3", "-I", "-S", "-c", _REAPER]
                  if self._warm_program else ["sleep", "infinity"])
        tmpfs = {WORK: f"rw,exec,nosuid,nodev,size={memory},uid=65534,gid=65534,mode=0711",
                 JUDGE_DIR: f"rw,exec,nosuid,nodev,size={memory},uid=65532,gid=65532,mode=0700"}
        if self._warm_program:
            tmpfs[PRELOAD_DIR] = "rw,exec,nosuid,nodev,size=1m,uid=0,gid=0,mode=0755"
        if memory < DOCKER_MIN_MEMORY_BYTES:  # the servers' reserve would hide it from Docker's own check
            slot.container, slot.error = None, (f"memory {memory} bytes is below Docker's minimum of "
                                                f"{DOCKER_MIN_MEMORY_BYTES} bytes for a container")
            return
        try:
            container = self._client.containers.run(
                self.image, keeper, detach=True, init=not self._warm_program,
                user="0:0" if self._warm_program else KEEPER_USER,
                network_mode="bridge" if shape.network else "none",
                mem_limit=memory + self._reserve, memswap_limit=memory + self._reserve, pids_limit=shape.pids,
                nano_cpus=int(min(shape.cpus, self._cpus_max) * 1e9),
                read_only=True, working_dir="/",
                # /work: the samples' dirs (the judge may enter a dir it is told of, not list);
                # /judge: the judge's copies, which no sample can enter.
                tmpfs=tmpfs, shm_size=min(memory, 64 << 20), cap_drop=["ALL"],
                cap_add=["SETUID", "SETGID"] if self._warm_program else None, security_opt=["no-new-privileges"],
                environment={"LANG": "C.UTF-8"}, labels={LABEL: owner_label()},
            )
        except Exception as error:  # noqa: BLE001  reported on the sample that needed it
            slot.container, slot.error = None, f"{error.__class__.__name__}: {error}"
            return
        with self._lock:
            self._live.add(container.id)
            closed = self._closed
        slot.container, slot.used = container.id, 0
        if closed:
            self._retire(container.id)
            return
        if self._warm_program and self._program_env is not None:  # else on this container's first sample
            self._preload(slot, self._program_env, fit=False)
        if self._warm_judge:  # with the container: no judged sample waits for it
            slot.warm, slot.warm_tried = self._start_warm_judge(container.id, shape), True
        if slot.preload_tried or slot.warm_tried:
            self._fit_memory(slot)
        self._make_ready(slot)

    @property
    def _reserve(self) -> int:
        return (WARM_RESERVE_BYTES if self._warm_judge else 0) + (PRELOAD_RESERVE_BYTES if self._warm_program else 0)

    def _preload(self, slot: _Slot, env: Mapping[str, str] | None, fit: bool = True) -> None:
        """Start the container's preloaded interpreter (warm program) once, before any
        sample's program has run in it, with the environment samples run with."""
        if not self._warm_program or slot.preload_tried:
            return
        if self._program_env is None:
            self._program_env = dict(env or {})
        slot.preload_tried = True
        if fit:
            self._make_room(slot, PRELOAD_RESERVE_BYTES)
        slot.preload = self._start_server(slot.container, slot.shape, ["python3", "-s", "-c", PRELOAD_SOURCE, "serve"],
                                          "0:0", PRELOAD_DIR, READY_MARK, self._program_env)
        if fit:
            self._fit_memory(slot)

    def _fit_memory(self, slot: _Slot) -> None:
        """Set the container's memory limit to the sample's `memory` plus the least its
        processes (the warm servers, idle) can be held to, so a sample gets exactly its
        limit: called once the servers are up and no sample runs. What they hold is found
        by squeezing: the limit is lowered by halves towards the container's present charge
        less SQUEEZE_BYTES; the kernel reclaims what it can (page cache, lazily freed heap)
        or refuses the limit (the engine then reports an error, nothing is killed). The
        charge alone would count those reclaimable pages, and a sample could take them.
        If it cannot be measured, the limit is `memory` alone (never more than the spec)."""
        memory = slot.shape.memory_bytes
        used = _charge(self._client.api, slot.container)
        held = None if used is None else self._squeeze(slot.container, used)
        limit = memory + (held or 0)
        slot.memory_limit = limit if self._set_limit(slot.container, limit) else None

    def _squeeze(self, container_id: str, used: int) -> int:
        low, high = max(0, used - SQUEEZE_BYTES), used + (1 << 20)  # high: allowed (above the charge)
        while high - low > SQUEEZE_STEP_BYTES:
            middle = (low + high) // 2
            if self._set_limit(container_id, middle):
                high = middle
            else:
                low = middle
        return high

    def _set_limit(self, container_id: str, limit: int) -> bool:
        try:
            self._client.api.update_container(container_id, mem_limit=limit, memswap_limit=limit)
        except docker.errors.APIError:
            return False
        return True

    def _make_room(self, slot: _Slot, reserve: int) -> None:
        """Before a server starts in a container whose limit was fitted to the others."""
        if slot.memory_limit is not None:
            self._set_limit(slot.container, slot.memory_limit + reserve)  # refused: the server starts in less

    def _start_warm_judge_fitted(self, slot: _Slot) -> None:
        self._make_room(slot, WARM_RESERVE_BYTES)
        slot.warm, slot.warm_tried = self._start_warm_judge(slot.container, slot.shape), True
        self._fit_memory(slot)

    def _start_warm_judge(self, container_id: str, shape: _Shape) -> dict | None:
        """Start the container's warm judge server before any sample runs in it. None if it
        does not come up: that container's samples are then judged cold."""
        server = self._start_server(container_id, shape, ["python3", "-I", "-c", base.JUDGE_SOURCE, "serve",
                                                          WARM_SOCKET], JUDGE_USER, JUDGE_DIR, base.WARM_MARK)
        return None if server is None else {**server, "socket": WARM_SOCKET}

    def _start_server(self, container_id: str, shape: _Shape, command: list[str], user: str, home: str,
                      mark: str, env: Mapping[str, str] | None = None) -> dict | None:
        """Start a long-lived server exec (the warm judge's, the warm program's) and read its
        pid and start time from its own stream (nothing else writes there); None if it
        does not come up (its samples then go cold)."""
        api = self._client.api
        try:
            exec_id = api.exec_create(
                container_id, command, stdin=False, user=user,
                environment=base.minimal_env(home, env, threads=max(1, int(shape.cpus))), workdir=home,
            )["Id"]
            connection = api.exec_start(exec_id, socket=True)
        except Exception:  # noqa: BLE001  cold
            return None
        raw = getattr(connection, "_sock", connection)
        try:
            stdout, _, _ = _read_frames(raw, time.monotonic() + WARM_START_S, 1 << 20, until=mark.encode())
        finally:
            connection.close()
        fields = stdout.raw().partition(mark.encode())[2].split()
        if len(fields) < 2 or not fields[0].isdigit():
            return None
        return {"pid": int(fields[0]), "start": fields[1].decode()}

    def _make_ready(self, slot: _Slot) -> None:
        """Start the slot's next exec now, so its start-up cost overlaps the wait for a sample."""
        slot.drop_ready()
        try:
            slot.ready = self._begin(slot, max(1, int(slot.shape.cpus)))
        except Exception:  # noqa: BLE001  the sample will start its own exec and report any trouble
            slot.ready = None

    def _retire(self, container_id: str | None) -> None:
        if container_id is None:
            return
        with self._lock:
            self._live.discard(container_id)
        try:
            self._client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as error:
            if "already in progress" not in str(error):
                raise

    def _ready_in_background(self, slot: _Slot) -> None:
        def prepare() -> None:
            if not self._closed:
                self._make_ready(slot)
            self._idle.put(slot)

        self._background_thread(prepare)

    def _replace_in_background(self, slot: _Slot) -> None:
        def replace() -> None:
            slot.drop_ready()
            self._retire(slot.container)
            slot.container = None
            if not self._closed:
                self._start(slot)
            self._idle.put(slot)

        self._background_thread(replace)

    def _background_thread(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True)
        with self._lock:
            self._background = [t for t in self._background if t.is_alive()] + [thread]
        thread.start()


_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# The wrapper's own variables: a caller's variable of the same name would be overwritten.
_WRAPPER_VARS = frozenset(re.findall(r"(?:\b|\$)([A-Za-z_][A-Za-z0-9_]*)=", _WRAPPER)) | {
    "k", "v", "p", "f", "req", "_"}


def _exportable(name: str) -> bool:
    return bool(_SHELL_NAME.match(name)) and name not in _WRAPPER_VARS


def _quote(word: str) -> str:
    # One line for the wrapper's `read`: newlines inside values come from its $nl.
    return shlex.quote(word).replace("\n", "'\"$nl\"'")


def _request(timeout_s: float, command: list[str], env: Mapping[str, str] | None) -> bytes:
    """The wrapper's request line: the caller's environment, then the timeout and the command."""
    env = env or {}
    exports = [f"{k}={_quote(v)}" for k, v in env.items() if _exportable(k)]
    # Names a shell cannot export, or that the wrapper uses, reach the program through env(1).
    odd = [_quote(f"{k}={v}") for k, v in env.items() if not _exportable(k)]
    words = [f"{timeout_s:g}", *(["env", "--", *odd] if odd else []), *(_quote(w) for w in command)]
    line = (f"export {' '.join(exports)}; " if exports else "") + "set -- " + " ".join(words)
    return line.encode() + b"\n"


# A program none of whose files imports a preloaded library runs as a fresh `python3` (its
# PATH without the shim): a fork of the preloaded interpreter would cost it more (page
# tables, copied pages, teardown) than the few modules it imports. A word match on import
# statements: a dynamic import only runs slower, never differently.
_HEAVY_IMPORT = import_statements(PRELOAD)


def _route(slot: _Slot, files: Files, env: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """The program's environment, with the shim left off PATH when the program is light."""
    if slot.preload is None:
        return env
    for name, content in files.items():
        if not name.endswith(".py"):
            continue  # data files: a program's imports are in its .py files
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
        if _HEAVY_IMPORT.search(text):
            return env
    return {**(env or {}), "PATH": SAMPLE_PATH}


def _tar(files: Files) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
        for name, content in sorted(files.items()):
            data = content.encode() if isinstance(content, str) else bytes(content)
            info = tarfile.TarInfo(base.check_relative(name))
            info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
            info.uid = info.gid = 65534
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _read_frames(raw, deadline: float, cap: int, until: bytes = b"") -> tuple[OutputTail, OutputTail, bool]:
    """Demultiplex the exec stream until EOF (True), the deadline or the output cap (False),
    or (True) a complete stdout line holding `until`."""
    streams = {1: OutputTail(), 2: OutputTail()}
    pending = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return streams[1], streams[2], False
        raw.settimeout(remaining)
        try:
            chunk = raw.recv(1 << 16)
        except TimeoutError:
            return streams[1], streams[2], False
        if not chunk:
            return streams[1], streams[2], True
        pending += chunk
        while len(pending) >= 8:
            kind, size = struct.unpack(">BxxxL", pending[:8])
            if len(pending) < 8 + size:
                break
            streams.get(kind, streams[2]).add(pending[8 : 8 + size])
            pending = pending[8 + size :]
        if until and until in streams[1].raw() and streams[1].raw().endswith(b"\n"):
            return streams[1], streams[2], True
        if streams[1].total + streams[2].total > cap + 256:  # room for the status line
            return streams[1], streams[2], False


def _parse_status(stdout: OutputTail) -> _Status | None:
    """Take the wrapper's status line off the end of stdout."""
    text = stdout.raw()
    mark = text.rfind(STATUS_MARK)
    if mark < 0:
        return None
    fields = text[mark + len(STATUS_MARK) :].split()
    stdout.cut(mark)
    try:
        return _Status(*(int(f) for f in fields[:4]))
    except (TypeError, ValueError):
        return None


# Prints the container's memory charge (cgroup v1, else v2) with a shell builtin only.
_CHARGE_PROBE = r"""
f=/sys/fs/cgroup/memory/memory.usage_in_bytes; [ -r $f ] || f=/sys/fs/cgroup/memory.current
read -r used < $f && echo "$used"
"""


def _charge(api, container_id: str) -> int | None:
    """The container's memory charge now: its processes, page cache and kernel memory."""
    try:
        exec_id = api.exec_create(container_id, ["sh", "-c", _CHARGE_PROBE], user=KEEPER_USER)["Id"]
        return int(api.exec_start(exec_id).split()[0])
    except (docker.errors.APIError, ValueError, IndexError):
        return None


def _exit_code(api, exec_id: str) -> int | None:
    """The exec's exit code; the engine may need a moment after the stream ends."""
    for _ in range(50):
        state = api.exec_inspect(exec_id)
        if not state.get("Running"):
            return state.get("ExitCode")
        time.sleep(0.02)
    return None


def owner_label() -> str:
    """Who owns a container: host, pid and that process's start time (pids are reused)."""
    me = psutil.Process()
    return f"{socket.gethostname()}:{me.pid}:{me.create_time():.2f}"


def _owner_alive(label: str) -> bool:
    """False only when the owner surely is gone: a process of this host that no longer runs."""
    parts = label.split(":")
    if len(parts) == 1 and parts[0].isdigit():  # labels of older versions: a bare pid
        return psutil.pid_exists(int(parts[0]))
    if len(parts) != 3 or parts[0] != socket.gethostname():
        return True  # another machine's (or a mangled) label: not ours to judge
    try:
        return f"{psutil.Process(int(parts[1])).create_time():.2f}" == parts[2]
    except (psutil.Error, ValueError):
        return False


def remove_orphans(client: docker.DockerClient) -> int:
    """Remove sandbox containers whose owning process is gone (a run killed with SIGKILL
    never reaches its atexit clean-up); returns how many."""
    removed = 0
    # The low-level list: one call, no per-container look-up that a removal elsewhere can race.
    for container in client.api.containers(all=True, filters={"label": LABEL}):
        if not _owner_alive((container.get("Labels") or {}).get(LABEL, "")):
            try:
                client.api.remove_container(container["Id"], force=True)
                removed += 1
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as error:  # another process is removing it too
                if "already in progress" not in str(error):
                    raise
    return removed


def _error(detail: str) -> ExecResult:
    return ExecResult(None, "", "", 0.0, base.SANDBOX_ERROR, detail=detail)
