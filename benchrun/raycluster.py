"""The one Ray connection of every block kind: connect (a local Ray, or the cluster a
block's `executor ray(address = ...)` names), check that every node of a cluster can run
benchrun's code, and one error for both, `RayClusterError`.

Ray is imported only when a connection is made, so the modules that declare `executor
ray(...)` stay light. `BENCHRUN_RAY_NODE_CHECK_TIMEOUT` (seconds, default 180) bounds how
long the nodes may take to answer a check; it is read here and nowhere else.
"""
from __future__ import annotations

import functools
import importlib
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from benchrun.errors import BenchrunError
from benchrun.registry import Flag, Option, Text

TIMEOUT_ENV = "BENCHRUN_RAY_NODE_CHECK_TIMEOUT"
DEFAULT_TIMEOUT_S = 180.0


class RayClusterError(BenchrunError, RuntimeError):
    """Ray cannot run the block: no connection, or a node that cannot run benchrun's code."""


# The options of every block kind's `executor ray(...)`, declared once.
RESULT_FREE: dict[str, Any] = dict(affects_result=False)
ADDRESS = Option("address", Text(), "a running Ray cluster to join: \"auto\", \"host:port\" of its head or "
                 "\"ray://host:port\" (default: start one here)", **RESULT_FREE)
SHIP_BENCHRUN = Option("ship_benchrun", Flag(), "ship this benchrun to a cluster's workers (false: they have it "
                       "installed)", True, **RESULT_FREE)


@functools.cache
def node_check_timeout() -> float:
    """How long the nodes of a cluster may take to answer a start-up check (a first start
    unpacks benchrun's runtime environment on every node): $BENCHRUN_RAY_NODE_CHECK_TIMEOUT."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise RayClusterError(f"{TIMEOUT_ENV} must be a positive number of seconds, got {text!r}")
    return seconds


def runtime_env(address: str | None, ship_benchrun: bool = True) -> dict[str, Any] | None:
    """The runtime environment of a cluster job: this benchrun package, shipped to every
    worker (`ship_benchrun = false`: the workers must have benchrun installed)."""
    if not address or not ship_benchrun:
        return None
    return {"py_modules": [str(Path(__file__).resolve().parent)], "excludes": ["__pycache__", "*.pyc"]}


# What this process's Ray connection was made for by `connect`: the address asked for
# ("" for a local Ray started here). Empty while Ray was started by someone else.
_CONNECTED: list[str] = []


def connect(address: str | None = None, *, num_cpus: int | None = None, ship_benchrun: bool = True,
            node_imports: Sequence[str] = ()) -> ModuleType:
    """Connect to Ray and return the `ray` module: the cluster at `address` ("auto" for the
    one on this machine, "ray://host:port" for Ray Client, "host:port" for a head's GCS),
    with benchrun shipped to its workers unless `ship_benchrun` is false, then every node
    checked (`check_nodes(node_imports)`); else a fresh local Ray of `num_cpus` CPUs (all
    by default).

    A connection is kept while the next call asks for the same thing; a call naming
    another address (or none, after a connection to a cluster) shuts it down and
    connects again, so each block runs where its spec says. A Ray started by someone
    else (`ray.init` in a test) is kept for calls without an address.
    Raises RayClusterError saying what went wrong."""
    import ray

    try:
        _connect(ray, address or "", num_cpus, runtime_env(address, ship_benchrun))
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise RayClusterError(f"cannot connect to the Ray cluster at {address!r}: {error}") from error
    if address:
        check_nodes(node_imports)
    return ray


def _connect(ray: Any, wanted: str, num_cpus: int | None, env: dict[str, Any] | None) -> None:
    if ray.is_initialized():
        if _CONNECTED and _CONNECTED[0] == wanted:
            return
        if not _CONNECTED and not wanted:
            return
        ray.shutdown()
    _CONNECTED.clear()
    options: dict[str, Any] = dict(include_dashboard=False, logging_level=logging.WARNING, configure_logging=True,
                                   log_to_driver=False)
    if env:
        options["runtime_env"] = env
    if wanted:
        ray.init(address=wanted, **options)
    else:
        ray.init(num_cpus=num_cpus or os.cpu_count(), **options)
    _CONNECTED.append(wanted)


def node_name(node: Mapping[str, Any]) -> str:
    return f"{node['NodeManagerAddress']} ({node['NodeID'][:12]})"


def _node_report(modules: Sequence[str]) -> dict[str, str]:
    """On one node: import benchrun and `modules` (what the job's tasks import there)."""
    import benchrun as shipped

    report = {"benchrun": getattr(shipped, "__version__", "?"), "path": str(Path(shipped.__file__).parent)}
    for name in modules:
        report[name] = str(getattr(importlib.import_module(name), "__version__", ""))
    return report


@functools.cache
def _node_report_task() -> Any:
    import ray

    return ray.remote(num_cpus=0, max_retries=0)(_node_report)


def check_nodes(imports: Sequence[str] = (), timeout: float | None = None) -> dict[str, dict[str, str]]:
    """Import benchrun and `imports` on every alive node with CPUs (node id -> what each
    imported, with its version); raise RayClusterError naming each node that cannot
    (benchrun not shipped nor installed, a missing dependency) or that does not answer
    within `timeout` (default: `node_check_timeout()`)."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    timeout = node_check_timeout() if timeout is None else timeout
    task = _node_report_task()
    nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
    if not nodes:
        raise RayClusterError("the Ray cluster has no alive node with CPUs to run benchrun's work")
    pending = {
        task.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote(list(imports)):
        n for n in nodes
    }
    reports, problems = {}, []
    ready, late = ray.wait(list(pending), num_returns=len(pending), timeout=timeout)
    for ref in ready:
        node = pending[ref]
        try:
            reports[node["NodeID"]] = ray.get(ref)
        except Exception as error:  # noqa: BLE001 - any failure there is the node's problem
            problems.append(f"node {node_name(node)} cannot run benchrun's code: {first_line(error)}")
    for ref in late:
        ray.cancel(ref, force=True)
        problems.append(f"node {node_name(pending[ref])} did not answer benchrun's start-up check within {timeout:.0f} s")
    if problems:
        raise RayClusterError("; ".join(problems) + " (each node needs benchrun: keep `ship_benchrun` on, or "
                              "install benchrun and its dependencies on it; see docs/cluster.md)")
    return reports


def first_line(error: BaseException) -> str:
    """The line of a remote traceback that says what went wrong (the last one naming an
    error or something missing)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return next((line for line in reversed(lines) if "Error" in line or "missing" in line),
                lines[-1] if lines else type(error).__name__)
