"""A sandbox spread over the nodes of a Ray cluster: each alive node judges in its own
Docker warm pool, the driver only sends the samples and gets their runs back.

One long-lived actor per node (`NodeJudge`), pinned to it, holds a `DockerSandbox` of as
many containers as the node's CPUs allow and runs that many samples at once. `RaySandbox`
has the `Sandbox` interface, so the codegen workload, its `Judge` and its verdict cache
run unchanged on the driver: a sample's completion, its original program's run and its
row all stay there, and only the driver writes the results file.

A node that dies mid-run takes its actor with it: the samples it was running are sent
again to the nodes left (the driver still holds their programs, so no model is asked
again), and `notes` says which node was lost and how many samples were judged again.

Every node needs the image: it is checked on each before the pools start, and with
`ship_image` loaded there from this machine's copy (`docker save` here, the archive in
chunks through Ray's object store, `docker load` there).

Ray is connected by the caller (`benchrun.raycluster.connect`); the nodes get
`BENCHRUN_RAY_NODE_CHECK_TIMEOUT` to answer each check (`node_check_timeout()`).
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import ray
from ray.exceptions import RayActorError
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from benchrun.raycluster import first_line, node_check_timeout, node_name
from benchrun.sandboxes import base
from benchrun.sandboxes.base import ExecResult, Files, Judgement, Limits, SandboxUnavailable


def _pinned(node: Mapping[str, Any]) -> dict[str, Any]:
    return dict(scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False))


def judging_nodes() -> list[dict[str, Any]]:
    """The alive nodes that have CPUs (a head started with --num-cpus 0 judges nothing)."""
    return [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]


@ray.remote(num_cpus=0, max_retries=0)
def _image_problem(tag: str) -> str | None:
    """On one node: None when its Docker engine has `tag`, else what is wrong."""
    from benchrun.sandboxes.image import connect, find_image

    try:
        client = connect()
    except SandboxUnavailable as error:
        return str(error)
    return None if find_image(client, tag) else f"image {tag} missing"


def image_problems(nodes: list[dict[str, Any]], tag: str, timeout: float | None = None) -> dict[str, str]:
    """Ask every node (a tiny task pinned to it) whether its engine has the image:
    node id -> what is wrong, for each node that has not, or that did not answer."""
    timeout = node_check_timeout() if timeout is None else timeout
    pending = {_image_problem.options(**_pinned(n)).remote(tag): n for n in nodes}
    ready, late = ray.wait(list(pending), num_returns=len(pending), timeout=timeout)
    problems = {}
    for ref in ready:
        try:
            problem = ray.get(ref)
        except Exception as error:  # noqa: BLE001 - benchrun or Docker's SDK cannot load there
            problem = f"cannot run benchrun's check: {first_line(error)}"
        if problem:
            problems[pending[ref]["NodeID"]] = problem
    for ref in late:
        ray.cancel(ref, force=True)
        problems[pending[ref]["NodeID"]] = f"did not answer the image check within {timeout:.0f} s"
    return problems


def check_images(nodes: list[dict[str, Any]], tag: str, ship: bool = False, timeout: float | None = None) -> None:
    """Raise SandboxUnavailable naming each node whose engine lacks the image; with
    `ship`, first `docker load` it there from this machine's copy."""
    problems = image_problems(nodes, tag, timeout)
    lacking = [n for n in nodes if problems.get(n["NodeID"]) == f"image {tag} missing"]
    if ship and lacking:
        ship_image(tag, lacking, timeout)
        problems = image_problems(nodes, tag, timeout)
    if problems:
        named = "; ".join(f"node {node_name(n)}: {problems[n['NodeID']]}" for n in nodes if n["NodeID"] in problems)
        raise SandboxUnavailable(named + f" (every node judges in its own Docker engine: run `benchrun sandbox build` "
                                 f"on it, `docker load` the image saved here with `docker save {tag}`, or set "
                                 "`ship_image = true`; see docs/cluster.md)")


# Chunks of an image shipped through the object store: small enough for a node's store.
SHIP_CHUNK_BYTES = 64 << 20


@ray.remote(num_cpus=0, max_retries=0)
def _load_image(tag: str, chunks: list) -> str | None:
    """On one node: `docker load` the chunks of a `docker save`; None when `tag` is there then."""
    import tempfile

    from benchrun.sandboxes.image import connect, find_image

    client = connect()
    with tempfile.TemporaryFile() as archive:
        for chunk in chunks:
            archive.write(ray.get(chunk))
        archive.seek(0)
        client.api.load_image(archive)
    return None if find_image(client, tag) else f"image {tag} still missing after docker load"


def ship_image(tag: str, nodes: list[dict[str, Any]], timeout: float | None = None) -> None:
    """`docker save` the image here, `docker load` it on each of `nodes`."""
    load_image(tag, save_image(tag), nodes, timeout)


def save_image(tag: str) -> list:
    """This machine's copy of the image as `docker save` chunks in Ray's object store."""
    from benchrun.sandboxes.image import connect, find_image

    client = connect()
    if find_image(client, tag) is None:
        raise SandboxUnavailable(f"cannot ship image {tag}: this machine has not got it either (`benchrun sandbox build`)")
    return [ray.put(chunk) for chunk in _rechunk(client.api.get_image(tag), SHIP_CHUNK_BYTES)]


def load_image(tag: str, chunks: list, nodes: list[dict[str, Any]], timeout: float | None = None) -> None:
    """`docker load` the chunks on each of `nodes`; raise SandboxUnavailable naming a node
    where that failed."""
    timeout = node_check_timeout() if timeout is None else timeout
    pending = {_load_image.options(**_pinned(n)).remote(tag, chunks): n for n in nodes}
    ready, late = ray.wait(list(pending), num_returns=len(pending), timeout=timeout * 4)
    problems = [f"node {node_name(pending[ref])}: loading image {tag} took over {timeout * 4:.0f} s" for ref in late]
    for ref in ready:
        try:
            problem = ray.get(ref)
        except Exception as error:  # noqa: BLE001 - Docker's or Ray's error on that node
            problem = f"docker load failed: {first_line(error)}"
        if problem:
            problems.append(f"node {node_name(pending[ref])}: {problem}")
    if problems:
        raise SandboxUnavailable("; ".join(problems))


def _rechunk(stream, size: int):
    buffer = bytearray()
    for piece in stream:
        buffer += piece
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


class NodeJudge:
    """A Docker warm pool on one node; Ray runs up to `slots` of its calls at once."""

    def __init__(self, spec: Any, slots: int) -> None:
        from benchrun.sandboxes.backends import open_sandbox

        self.sandbox = open_sandbox(spec, parallelism=slots)

    def ready(self) -> bool:
        return True

    def run(self, files: Files, command: list[str], limits: Limits, env: Mapping[str, str] | None) -> ExecResult:
        return self.sandbox.run(files, command, limits, env)

    def judge(self, files: Files, command: list[str], check: Mapping, limits: Limits,
              env: Mapping[str, str] | None, after: Sequence[list[str]] = ()) -> Judgement:
        return self.sandbox.judge(files, command, check, limits, env, after)

    def close(self) -> None:
        from benchrun.sandboxes.docker.cleanup import remove_orphans
        from benchrun.sandboxes.image import connect

        self.sandbox.close()
        remove_orphans(connect())  # a lost node's containers, where its engine is this one's


class _Node:
    def __init__(self, info: dict[str, Any], slots: int, actor) -> None:
        self.name, self.slots, self.actor = node_name(info), slots, actor
        self.lost = False


class RaySandbox:
    """The `Sandbox` interface over one `NodeJudge` per alive node; thread-safe.
    `ship_image`: load the image on the nodes that lack it from this machine's copy.

    `slots`: samples the cluster runs at once (the driver's workers should match it)."""

    def __init__(self, spec: Any, image: str, ship_image: bool = False, timeout: float | None = None) -> None:
        timeout = node_check_timeout() if timeout is None else timeout
        nodes = judging_nodes()
        if not nodes:
            raise SandboxUnavailable("the Ray cluster has no alive node with CPUs to judge on")
        check_images(nodes, image, ship_image, timeout)
        cpus = max(spec.cpus, 0.01)
        self._nodes: list[_Node] = []
        for info in nodes:
            slots = max(1, int(info["Resources"]["CPU"] // cpus))
            actor = ray.remote(NodeJudge).options(num_cpus=0, max_concurrency=slots + 1, max_restarts=0,
                                                  **_pinned(info)).remote(spec, slots)
            self._nodes.append(_Node(info, slots, actor))
        self._free: queue.SimpleQueue[_Node] = queue.SimpleQueue()  # one entry per idle slot
        self._lock = threading.Lock()
        self._resent = 0
        self._start(timeout)

    def _start(self, timeout: float) -> None:
        pending = {node.actor.ready.remote(): node for node in self._nodes}
        ready, late = ray.wait(list(pending), num_returns=len(pending), timeout=timeout)
        problems = [f"node {pending[ref].name} did not start its sandboxes within {timeout:.0f} s" for ref in late]
        for ref in ready:
            try:
                ray.get(ref)
            except Exception as error:  # noqa: BLE001 - the node's Docker pool could not start
                problems.append(f"node {pending[ref].name} cannot start its sandboxes: {first_line(error)}")
        if problems:
            self.close()
            raise SandboxUnavailable("; ".join(problems))
        for node in self._nodes:
            for _ in range(node.slots):
                self._free.put(node)

    @property
    def slots(self) -> int:
        return sum(node.slots for node in self._nodes)

    @property
    def notes(self) -> list[str]:
        """What the run should tell: the nodes lost, and the samples judged again."""
        lost = [node.name for node in self._nodes if node.lost]
        if not lost:
            return []
        return [f"Ray: node {', '.join(lost)} was lost mid-run; the {self._resent} sandbox runs it had in hand were "
                "run again on the nodes left (no model was asked again)"]

    # ------------------------------------------------------------------ the Sandbox interface

    def run(self, files: Files, command: list[str], limits: Limits, env: Mapping[str, str] | None = None) -> ExecResult:
        return self._call("run", files, command, limits, env) or _error(self._none_left())

    def judge(self, files: Files, command: list[str], check: Mapping, limits: Limits,
              env: Mapping[str, str] | None = None, after: Sequence[list[str]] = ()) -> Judgement:
        return (self._call("judge", files, command, check, limits, env, list(after))
                or Judgement(_error(self._none_left()), None, False))

    def close(self) -> None:
        alive = [node for node in self._nodes if not node.lost]
        refs = [node.actor.close.remote() for node in alive]
        if refs:
            ray.wait(refs, num_returns=len(refs), timeout=60)
        for node in self._nodes:
            ray.kill(node.actor, no_restart=True)

    def __enter__(self) -> RaySandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ dispatch

    def _call(self, method: str, *args):
        """Run `method` on an idle slot of an alive node; when that node dies meanwhile, on
        another. None when no node is left."""
        while (node := self._take()) is not None:
            try:
                result = ray.get(getattr(node.actor, method).remote(*args))
            except RayActorError:  # the node (or its actor) died: this run goes elsewhere
                with self._lock:
                    node.lost = True
                    self._resent += 1
                continue
            self._free.put(node)
            return result
        return None

    def _take(self) -> _Node | None:
        while any(not node.lost for node in self._nodes):
            try:
                node = self._free.get(timeout=0.5)
            except queue.Empty:
                continue
            if not node.lost:  # a lost node's idle slots are dropped as they come up
                return node
        return None

    def _none_left(self) -> str:
        return f"every Ray node judging this block was lost ({', '.join(n.name for n in self._nodes)})"


def _error(detail: str) -> ExecResult:
    return ExecResult(None, "", "", 0.0, base.SANDBOX_ERROR, detail=detail)
