"""Sandboxes that run untrusted generated programs: Docker (warm pool) or local processes."""
from benchrun.sandboxes.backends import SANDBOXES, open_sandbox
from benchrun.sandboxes.base import (
    CATEGORIES,
    MEMORY,
    NONZERO_EXIT,
    OK,
    OUTPUT_LIMIT,
    PIDS,
    SANDBOX_ERROR,
    TIMEOUT,
    ExecResult,
    Limits,
    Sandbox,
    SandboxUnavailable,
)

__all__ = [
    "CATEGORIES",
    "MEMORY",
    "NONZERO_EXIT",
    "OK",
    "OUTPUT_LIMIT",
    "PIDS",
    "SANDBOX_ERROR",
    "TIMEOUT",
    "DockerSandbox",
    "ExecResult",
    "Limits",
    "LocalSandbox",
    "Sandbox",
    "SandboxUnavailable",
    "SANDBOXES",
    "open_sandbox",
]


def __getattr__(name: str):
    # The backends load on first use: the docker SDK is not needed for `sandbox local()`.
    if name == "DockerSandbox":
        from benchrun.sandboxes.docker.pool import DockerSandbox

        return DockerSandbox
    if name == "LocalSandbox":
        from benchrun.sandboxes.local import LocalSandbox

        return LocalSandbox
    raise AttributeError(name)
