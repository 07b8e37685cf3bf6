"""DockerSandbox: a pool of warm containers, one sample at a time each, shared by threads.

Each slot holds one container of a shape (its limits). A sample takes an idle slot,
runs there (execs.py), and gives it back: readied for the next sample in the background
(its next wrapper exec started), or replaced by a fresh container when anything was
unexpected or after `recycle_after` samples."""
from __future__ import annotations

import atexit
import functools
import os
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Self, TypeVar

import attrs
import docker

from benchrun.sandboxes import base
from benchrun.sandboxes.base import ExecResult, Files, Judgement, Limits
from benchrun.sandboxes.docker import execs, memory, servers
from benchrun.sandboxes.docker.cleanup import remove_container, remove_orphans
from benchrun.sandboxes.docker.container import ContainerRefused, Shape, start_container
from benchrun.sandboxes.docker.execs import Execution, Outcome, ReadyExec
from benchrun.sandboxes.docker.servers import Server, program_env
from benchrun.sandboxes.docker.wrapper import tar
from benchrun.sandboxes.image import connect, default_image, require_image

R = TypeVar("R", ExecResult, Judgement)


@attrs.define
class _Slot:
    shape: Shape
    container: str | None = None
    used: int = 0
    error: str = ""  # why the last container start failed
    ready: ReadyExec | None = None
    warm: Server | None = None  # the warm judge server
    warm_tried: bool = False  # started (or failed to start) in this container
    preload: Server | None = None  # the warm program's preloaded interpreter
    preload_tried: bool = False
    memory_limit: int | None = None  # the container's limit once fitted to its servers

    def drop_ready(self) -> None:
        if self.ready is not None:
            self.ready.close()
            self.ready = None


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
        shape = Shape.of(limits or Limits())
        for slot in (_Slot(shape) for _ in range(max(1, parallelism))):
            if warm:  # in the background: a run's first model requests need not wait for the containers
                self._background_thread(functools.partial(self._start_then_offer, slot))
            else:
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
        def program(slot: _Slot) -> Outcome[ExecResult]:
            self._preload(slot, env)
            return self._execute(slot, tar(files), command, limits, program_env(slot.preload is not None, files, env))

        return self._with_slot(limits, program, lambda failed: failed)

    def judge(
        self, files: Files, command: list[str], check: Mapping, limits: Limits, env: Mapping[str, str] | None = None,
        after: Sequence[list[str]] = (),
    ) -> Judgement:
        def both(slot: _Slot) -> Outcome[Judgement]:
            if self._warm_judge and not slot.warm_tried:
                # Before this sample's program: no process of any sample is alive now.
                self._start_warm_judge(slot)
            self._preload(slot, env)
            program = self._execute(slot, tar(files), command, limits, program_env(slot.preload is not None, files, env))
            if not program.healthy or not base.judgeable(program.result):
                return Outcome(Judgement(program.result, None, False), program.healthy)
            runs = []
            for again in after:  # each a fresh exec in the program's dir, once its processes are gone
                run = self._execute(slot, b"", again, limits, env, workdir=program.workdir)
                runs.append(run.result)
                if not run.healthy or not base.judgeable(run.result):
                    return Outcome(base.after_failure(program.result, runs, again), run.healthy)
            return execs.run_judge(self._client.api, self._container(slot), program.result, program.workdir, check,
                                   limits, env, slot.warm, tuple(runs))

        return self._with_slot(limits, both, lambda failed: Judgement(failed, None, False))

    def _with_slot(self, limits: Limits, work: Callable[[_Slot], Outcome[R]], failure: Callable[[ExecResult], R]) -> R:
        """`work(slot)` on an idle container of the right shape, or `failure` of what went
        wrong; then a sick container is replaced, a healthy one readied for the next sample."""
        if self._closed:
            raise RuntimeError("sandbox is closed")
        slot = self._idle.get()
        healthy = False
        try:
            shape = Shape.of(limits)
            if slot.container is None or slot.shape != shape:
                slot.drop_ready()
                self._retire(slot.container)
                slot.container, slot.shape, slot.used = None, shape, 0
                self._start(slot)
                if slot.container is None:
                    return failure(_error(f"could not start a sandbox container: {slot.error}"))
            outcome = work(slot)
            healthy = outcome.healthy
            return outcome.result
        except Exception as error:  # noqa: BLE001  engine trouble: report it on the sample, keep the run going
            return failure(_error(f"{error.__class__.__name__}: {error}"))
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

    def __exit__(self, *exc: object) -> None:
        self.close()

    def container_ids(self) -> list[str]:
        """Ids of the pool's live containers (for status and tests)."""
        with self._lock:
            return sorted(self._live)

    # ------------------------------------------------------------------ one sample

    def _execute(self, slot: _Slot, archive: bytes, command: list[str], limits: Limits,
                 env: Mapping[str, str] | None, workdir: str | None = None) -> Execution:
        """The program's exec, on the slot's ready exec when it fits. With `workdir`, an
        `after` command in the dir of the program that ran there."""
        container_id, threads, preloaded = self._container(slot), max(1, int(limits.cpus)), slot.preload is not None
        ready: ReadyExec | None
        if workdir is not None:
            ready = execs.begin(self._client.api, container_id, threads, preloaded, workdir)
        else:
            ready, slot.ready = slot.ready, None
        if ready is None or ready.threads != threads or ready.preloaded != preloaded:
            if ready is not None:
                ready.close()
            ready = execs.begin(self._client.api, container_id, threads, preloaded)
        return execs.run_wrapper(self._client.api, ready, archive, command, limits, env,
                                 retire=lambda: self._retire(container_id))

    @staticmethod
    def _container(slot: _Slot) -> str:
        if slot.container is None:  # a slot is only worked on once its container started
            raise RuntimeError("the sandbox slot has no container")
        return slot.container

    # ------------------------------------------------------------------ containers

    def _start(self, slot: _Slot) -> None:
        slot.warm, slot.warm_tried, slot.preload, slot.preload_tried = None, False, None, False
        slot.memory_limit = None
        try:
            container_id = start_container(self._client, self.image, slot.shape, warm_program=self._warm_program,
                                           reserve=memory.reserve(self._warm_judge, self._warm_program),
                                           cpus_max=self._cpus_max)
        except Exception as error:  # noqa: BLE001  reported on the sample that needed it
            refused = isinstance(error, ContainerRefused)  # its message says what to change
            slot.container, slot.error = None, str(error) if refused else f"{error.__class__.__name__}: {error}"
            return
        with self._lock:
            self._live.add(container_id)
            closed = self._closed
        slot.container, slot.used = container_id, 0
        if closed:
            self._retire(container_id)
            return
        if self._warm_program and self._program_env is not None:  # else on this container's first sample
            self._preload(slot, self._program_env, fit=False)
        if self._warm_judge:  # with the container: no judged sample waits for it
            self._start_warm_judge(slot, fit=False)
        if slot.preload_tried or slot.warm_tried:
            self._fit_memory(slot)
        self._make_ready(slot)

    def _preload(self, slot: _Slot, env: Mapping[str, str] | None, fit: bool = True) -> None:
        """Start the container's preloaded interpreter (warm program) once, before any
        sample's program has run in it, with the environment samples run with."""
        if not self._warm_program or slot.preload_tried:
            return
        if self._program_env is None:
            self._program_env = dict(env or {})
        slot.preload_tried = True
        if fit:
            self._make_room(slot, memory.PRELOAD_RESERVE_BYTES)
        slot.preload = servers.start_preloaded_interpreter(self._client.api, self._container(slot),
                                                           slot.shape.threads, self._program_env)
        if fit:
            self._fit_memory(slot)

    def _fit_memory(self, slot: _Slot) -> None:
        """The container's limit: the sample's `memory` plus what its idle servers hold (memory.fit)."""
        slot.memory_limit = memory.fit(self._client.api, self._container(slot), slot.shape.memory_bytes)

    def _make_room(self, slot: _Slot, reserve: int) -> None:
        """Before a server starts in a container whose limit was fitted to the others."""
        memory.make_room(self._client.api, self._container(slot), slot.memory_limit, reserve)

    def _start_warm_judge(self, slot: _Slot, fit: bool = True) -> None:
        """Start the container's warm judge; `fit`: the limit was fitted already, so make
        room for it first and fit again after."""
        if fit:
            self._make_room(slot, memory.WARM_RESERVE_BYTES)
        slot.warm = servers.start_warm_judge(self._client.api, self._container(slot), slot.shape.threads)
        slot.warm_tried = True
        if fit:
            self._fit_memory(slot)

    def _make_ready(self, slot: _Slot) -> None:
        """Start the slot's next exec now, so its start-up cost overlaps the wait for a sample."""
        slot.drop_ready()
        try:
            slot.ready = execs.begin(self._client.api, self._container(slot), slot.shape.threads,
                                     slot.preload is not None)
        except Exception:  # noqa: BLE001  the sample will start its own exec and report any trouble
            slot.ready = None

    def _retire(self, container_id: str | None) -> None:
        if container_id is None:
            return
        with self._lock:
            self._live.discard(container_id)
        remove_container(self._client.api, container_id)

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
            self._start_then_offer(slot)

        self._background_thread(replace)

    def _start_then_offer(self, slot: _Slot) -> None:
        """Start the slot's container, then give the slot to the samples waiting for one,
        whatever happened (a slot without a container starts one for its sample, or reports
        why it cannot)."""
        try:
            if not self._closed:
                self._start(slot)
        finally:
            self._idle.put(slot)

    def _background_thread(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True)
        with self._lock:
            self._background = [t for t in self._background if t.is_alive()] + [thread]
        thread.start()


def _error(detail: str) -> ExecResult:
    return ExecResult(None, "", "", 0.0, base.SANDBOX_ERROR, detail=detail)
