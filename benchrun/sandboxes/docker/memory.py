"""A container's memory limit with warm servers in it: exact for the sample.

A container with a warm server starts with room for it (WARM_RESERVE_BYTES,
PRELOAD_RESERVE_BYTES); once the servers are up and before any sample runs, the limit is
set (`docker update`) to the sample's `memory` plus what the container then holds that a
sample could not reclaim (`fit`)."""
from __future__ import annotations

from typing import Any

import docker

from benchrun.sandboxes.docker.container import KEEPER_USER

# Added to a container's memory limit when it holds the warm judge server (about 390 MB
# resident after its imports, measured), so a program keeps all of `limits.memory_bytes`.
WARM_RESERVE_BYTES = 512 << 20
# The warm program's preloaded interpreter: about 330 MB resident after its imports (measured).
PRELOAD_RESERVE_BYTES = 512 << 20
# Fitting the limit to the servers: how far below their charge to look, and how close to
# get (cgroup v1 counts a CPU's charges in batches of a few pages anyway).
SQUEEZE_BYTES = 128 << 20
SQUEEZE_STEP_BYTES = 1 << 20

# Prints the container's memory charge (cgroup v1, else v2) with a shell builtin only.
_CHARGE_PROBE = r"""
f=/sys/fs/cgroup/memory/memory.usage_in_bytes; [ -r $f ] || f=/sys/fs/cgroup/memory.current
read -r used < $f && echo "$used"
"""


def reserve(warm_judge: bool, warm_program: bool) -> int:
    """The room a container starts with beyond the sample's `memory`, for its servers."""
    return (WARM_RESERVE_BYTES if warm_judge else 0) + (PRELOAD_RESERVE_BYTES if warm_program else 0)


def fit(api: Any, container_id: str, memory: int) -> int | None:
    """Set the container's memory limit to the sample's `memory` plus the least its
    processes (the warm servers, idle) can be held to, so a sample gets exactly its
    limit: called once the servers are up and no sample runs. What they hold is found
    by squeezing: the limit is lowered by halves towards the container's present charge
    less SQUEEZE_BYTES; the kernel reclaims what it can (page cache, lazily freed heap)
    or refuses the limit (the engine then reports an error, nothing is killed). The
    charge alone would count those reclaimable pages, and a sample could take them.
    If it cannot be measured, the limit is `memory` alone (never more than the spec).
    Returns the limit set, None if the engine refused it."""
    used = charge(api, container_id)
    held = None if used is None else _squeeze(api, container_id, used)
    limit = memory + (held or 0)
    return limit if set_limit(api, container_id, limit) else None


def make_room(api: Any, container_id: str, fitted: int | None, reserve: int) -> None:
    """Before a server starts in a container whose limit was fitted (`fitted`) to the others."""
    if fitted is not None:
        set_limit(api, container_id, fitted + reserve)  # refused: the server starts in less


def _squeeze(api: Any, container_id: str, used: int) -> int:
    low, high = max(0, used - SQUEEZE_BYTES), used + (1 << 20)  # high: allowed (above the charge)
    while high - low > SQUEEZE_STEP_BYTES:
        middle = (low + high) // 2
        if set_limit(api, container_id, middle):
            high = middle
        else:
            low = middle
    return high


def set_limit(api: Any, container_id: str, limit: int) -> bool:
    """The one place a container's memory limit changes after it started."""
    try:
        api.update_container(container_id, mem_limit=limit, memswap_limit=limit)
    except docker.errors.APIError:
        return False
    return True


def charge(api: Any, container_id: str) -> int | None:
    """The container's memory charge now: its processes, page cache and kernel memory."""
    try:
        exec_id = api.exec_create(container_id, ["sh", "-c", _CHARGE_PROBE], user=KEEPER_USER)["Id"]
        return int(api.exec_start(exec_id).split()[0])
    except (docker.errors.APIError, ValueError, IndexError):
        return None
