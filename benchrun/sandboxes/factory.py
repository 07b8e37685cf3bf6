"""Open the sandbox a spec asks for."""
from __future__ import annotations

from benchrun.sandboxes.base import Limits, Sandbox, SandboxUnavailable


def open_sandbox(spec, parallelism: int = 1) -> Sandbox:
    """A sandbox for `spec` (a `benchrun.grammar.spec.SandboxSpec`) shared by `parallelism` workers.

    Raises SandboxUnavailable with what to do when the backend cannot run here.
    """
    if spec.backend == "docker":
        from benchrun.sandboxes.docker_pool import DockerSandbox

        return DockerSandbox(image=spec.image, parallelism=parallelism, limits=Limits.from_spec(spec))
    if spec.backend == "local":
        from benchrun.sandboxes.local import LocalSandbox

        return LocalSandbox()
    raise SandboxUnavailable(f"unknown sandbox backend {spec.backend!r}: use docker(...) or local(...)")
