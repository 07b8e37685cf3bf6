"""Who owns a sandbox container (its label), and removing containers: one retired by its
pool, or those whose owning process is gone (a run killed with SIGKILL never reaches its
atexit clean-up)."""
from __future__ import annotations

import socket
from typing import Any

import docker
import psutil

LABEL = "benchrun.sandbox"


def owner_label() -> str:
    """Who owns a container: host, pid and that process's start time (pids are reused)."""
    me = psutil.Process()
    return f"{socket.gethostname()}:{me.pid}:{me.create_time():.2f}"


def owner_alive(label: str) -> bool:
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


def remove_container(api: Any, container_id: str) -> bool:
    """Remove a container and everything running in it; False when it was already gone or
    another caller is removing it (a pool's retirement and an orphan sweep may race)."""
    try:
        api.remove_container(container_id, force=True)
    except docker.errors.NotFound:
        return False
    except docker.errors.APIError as error:
        if "already in progress" not in str(error):
            raise
        return False
    return True


def remove_orphans(client: docker.DockerClient) -> int:
    """Remove sandbox containers whose owning process is gone; returns how many."""
    removed = 0
    # The low-level list: one call, no per-container look-up that a removal elsewhere can race.
    for container in client.api.containers(all=True, filters={"label": LABEL}):
        if not owner_alive((container.get("Labels") or {}).get(LABEL, "")):
            removed += remove_container(client.api, container["Id"])
    return removed
