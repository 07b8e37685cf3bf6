"""Where a benchmark block's samples are judged, each executor declared once.

`executor local()` (the default): the block's own sandbox on this machine, `concurrency`
samples at once. `executor ray(address = ...)`: generation stays on the driver (the
model endpoints serve many requests at once, and the completion cache is here), and
judging is spread over the cluster, each node in its own Docker warm pool with as many
sandboxes as its CPUs allow (benchrun.sandboxes.ray_pool). Results come back to the
driver, the one writer of the results file. An executor changes where samples are
judged, not their results: no option here enters a unit's id.
A plugin adds an executor through the entry-point group `benchrun.judging`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from benchrun.raycluster import ADDRESS, SHIP_BENCHRUN, RayClusterError, connect
from benchrun.registry import Entry, Flag, Option, Registry
from benchrun.sandboxes import Sandbox, SandboxUnavailable, open_sandbox


@attrs.frozen(kw_only=True)
class JudgingExecutor(Entry):
    """`open(block, parallelism)` -> (the sandbox the block's samples are judged in, how
    many samples to work on at once). `parallelism` is `--concurrency` or the block's
    `concurrency`. Raises SandboxUnavailable saying what to fix. `sandboxes` names the
    sandbox backends it can judge in (empty: any)."""

    open: Callable[[Any, int], tuple[Sandbox, int]]
    sandboxes: tuple[str, ...] = ()

    def settings(self, block: Any) -> dict[str, Any]:
        """The block's executor options with the defaults filled in."""
        return {**self.defaults(), **dict(block.executor.options)}


def _local(block: Any, parallelism: int) -> tuple[Sandbox, int]:
    return open_sandbox(block.sandbox, parallelism=parallelism), parallelism


# What judging imports on a node: checked on every node of a cluster before its pool starts.
NODE_IMPORTS = ("docker", "benchrun.sandboxes.ray_pool")


def _ray(block: Any, parallelism: int) -> tuple[Sandbox, int]:
    from benchrun.sandboxes.image import default_image
    from benchrun.sandboxes.ray_pool import RaySandbox  # imports Ray only when used

    options = RAY.settings(block)
    address = options.get("address") or None
    try:
        connect(address, ship_benchrun=options["ship_benchrun"], node_imports=NODE_IMPORTS)
    except RayClusterError as error:
        raise SandboxUnavailable(str(error)) from error
    sandbox = RaySandbox(block.sandbox, block.sandbox.image or default_image(), ship_image=options["ship_image"])
    return sandbox, sandbox.slots  # the cluster's size decides, not `concurrency`


LOCAL = JudgingExecutor(name="local", doc="the block's sandbox on this machine, `concurrency` samples at once "
                        "(the default)", options=(), open=_local)
RAY = JudgingExecutor(
    name="ray", doc="generation on this machine, judging on every node of a Ray cluster in its own Docker warm "
    "pool, as many samples at once as its CPUs allow",
    options=(ADDRESS, SHIP_BENCHRUN,
             Option("ship_image", Flag(), "load the sandbox image on nodes that lack it from this machine's copy "
                    "(docker save here, docker load there)", False, affects_result=False)),
    open=_ray,
    sandboxes=("docker",))

JUDGING: Registry[JudgingExecutor] = Registry("judging", "judging executor", JudgingExecutor, {
    "local": "benchrun.codegen.executors:LOCAL",
    "ray": "benchrun.codegen.executors:RAY",
})
