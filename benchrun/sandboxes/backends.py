"""The sandbox backends a spec can name, with the limits they take, declared once.

`docker(memory = 2GiB, timeout = 120s)` in a spec is checked against these options; a
plugin adds a backend through the entry-point group `benchrun.sandboxes`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from benchrun.registry import Duration, Entry, Flag, Int, Number, Option, Registry, Size, Text
from benchrun.sandboxes.base import Limits, Sandbox, SandboxUnavailable


@attrs.frozen(kw_only=True)
class SandboxBackend(Entry):
    """`open(spec, parallelism)`: a sandbox for a SandboxSpec, shared by `parallelism` workers."""

    open: Callable[[Any, int], Sandbox]


SANDBOXES: Registry[SandboxBackend] = Registry("sandboxes", "sandbox backend", SandboxBackend, {
    "docker": "benchrun.sandboxes.backends:DOCKER",
    "local": "benchrun.sandboxes.backends:LOCAL",
})

# The limits every backend takes (the SandboxSpec's defaults are these).
LIMITS = (
    Option("timeout", Duration(), "wall-clock limit of one program run", 60.0),
    Option("memory", Size(), "memory limit", 1 << 30),
    Option("cpus", Number(0.01, 1024), "CPUs", 1.0),
    Option("pids", Int(1), "processes and threads", 256),
    Option("network", Flag(), "network access (none by default)", False),
    Option("output", Size(), "captured output per stream", 1 << 20),
    Option("image", Text(), "the image (default: benchrun's own, built from its recipe)"),
)
# option -> SandboxSpec field, where the field names the unit
FIELDS = {"timeout": "timeout_s", "memory": "memory_bytes", "output": "output_bytes"}


def sandbox_fields(options: dict[str, Any]) -> dict[str, Any]:
    """A spec's sandbox options as SandboxSpec fields."""
    return {FIELDS.get(k, k): v for k, v in options.items()}


def id_fields(backend: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The SandboxSpec fields that name a unit: the backend's own options, less those at a
    value their Option leaves out of ids (`id_omits`)."""
    options = {FIELDS.get(o.name, o.name): o for o in SANDBOXES.get(backend).options}
    return {k: v for k, v in fields.items() if k == "backend" or (k in options and v not in options[k].id_omits)}


def _docker(spec: Any, parallelism: int) -> Sandbox:
    from benchrun.sandboxes.docker.pool import DockerSandbox

    return DockerSandbox(image=spec.image, parallelism=parallelism, limits=Limits.from_spec(spec),
                         warm_judge=spec.warm_judge, warm_program=spec.warm_program)


def _local(spec: Any, parallelism: int) -> Sandbox:
    from benchrun.sandboxes.local import LocalSandbox

    return LocalSandbox()


# Faster judging: checks that import the ML libraries run in a fork of a judge server that
# imported them once per container; faster programs: `python3 FILE` of a program that
# imports them runs in a fork of an interpreter that did (sandboxes/docker/preload.py). On by
# default; the memory limit stays exact (docs/sandbox.md). `off` (the cold path) leaves the
# option out of unit ids, as before either existed; on names it.
WARM_JUDGE = Option("warm_judge", Flag(), "judge in a fork of a preloaded judge server in each container "
                    "(faster for checks that import the ML libraries)", True, id_omits=(False,))
WARM_PROGRAM = Option("warm_program", Flag(), "run `python3 FILE` in a fork of an interpreter with the ML "
                      "libraries preloaded, once per container (faster for programs that import them)", True,
                      id_omits=(False,))
DOCKER = SandboxBackend(name="docker", doc="a warm pool of locked-down Docker containers (the default)",
                        options=(*LIMITS, WARM_JUDGE, WARM_PROGRAM), open=_docker)
LOCAL = SandboxBackend(name="local", doc="processes on this machine with rlimits (weaker isolation)",
                       options=LIMITS, open=_local)


def open_sandbox(spec: Any, parallelism: int = 1) -> Sandbox:
    """A sandbox for `spec` (a SandboxSpec) shared by `parallelism` workers.

    Raises SandboxUnavailable with what to do when the backend cannot run here."""
    if spec.backend not in SANDBOXES:
        raise SandboxUnavailable(SANDBOXES.unknown(spec.backend))
    return SANDBOXES.get(spec.backend).open(spec, parallelism)
