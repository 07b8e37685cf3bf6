"""Starting one hardened sandbox container: its users, mounts, limits and PID 1.

It runs only `sleep infinity` under docker-init, as uid 65533, read-only, with no
capability, no new privileges, no network unless the sample's limits allow it, and the
sample's limits on memory (plus the warm servers' reserve until the limit is fitted, see
memory.py), processes and CPUs. With the warm program its config user is root, so the
preloaded interpreter's exec may have SETUID and SETGID (and no other capability); PID 1
is then not docker-init (which would be root with them) but a reaper that `setpriv`
started as uid 65533, with none."""
from __future__ import annotations

from typing import Any

import attrs

from benchrun.sandboxes.base import Limits
from benchrun.sandboxes.docker.cleanup import LABEL, owner_label

KEEPER_USER = "65533:65533"
SAMPLE_USER = "65534:65534"
JUDGE_USER = "65532:65532"
WORK = "/work"
JUDGE_DIR = "/judge"
PRELOAD_DIR = "/preload"  # root's tmpfs: the shim, which no sample can replace
DOCKER_MIN_MEMORY_BYTES = 6 << 20  # the engine refuses a container limit below this
# PID 1 of a warm-program container in place of docker-init, which would run as root with
# the server's capabilities (that container's config user is root): it reaps orphans as
# docker-init does, as the keeper's uid, with no capability. SIGCHLD is blocked and waited
# for, so no child's end is missed between two waits.
REAPER = """
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


@attrs.frozen
class Shape:
    """The container-level limits; a container serves only samples with the same shape."""

    memory_bytes: int
    cpus: float
    pids: int
    network: bool

    @classmethod
    def of(cls, limits: Limits) -> Shape:
        return cls(limits.memory_bytes, limits.cpus, limits.pids, limits.network)

    @property
    def threads(self) -> int:
        """Math-library threads of a process in it: as many as it has CPUs."""
        return max(1, int(self.cpus))


class ContainerRefused(Exception):
    """A shape no container can be started for; the message says why."""


def start_container(client: Any, image: str, shape: Shape, *, warm_program: bool, reserve: int,
                    cpus_max: float) -> str:
    """Start a container for samples of `shape` (with `reserve` bytes more memory for the
    warm servers) and return its id. Raises ContainerRefused, or the engine's error."""
    memory = shape.memory_bytes
    # The warm program's server is an exec as root with SETUID and SETGID; Docker gives
    # an exec capabilities only when the container's user is root, so PID 1 then drops
    # to the keeper's uid itself (losing every capability) and reaps orphans in place
    # of docker-init.
    keeper = (["setpriv", f"--reuid={KEEPER_USER.split(':')[0]}", f"--regid={KEEPER_USER.split(':')[1]}",
               "--clear-groups", "--inh-caps=-all", "python3", "-I", "-S", "-c", REAPER]
              if warm_program else ["sleep", "infinity"])
    tmpfs = {WORK: f"rw,exec,nosuid,nodev,size={memory},uid=65534,gid=65534,mode=0711",
             JUDGE_DIR: f"rw,exec,nosuid,nodev,size={memory},uid=65532,gid=65532,mode=0700"}
    if warm_program:
        tmpfs[PRELOAD_DIR] = "rw,exec,nosuid,nodev,size=1m,uid=0,gid=0,mode=0755"
    if memory < DOCKER_MIN_MEMORY_BYTES:  # the servers' reserve would hide it from Docker's own check
        raise ContainerRefused(f"memory {memory} bytes is below Docker's minimum of "
                               f"{DOCKER_MIN_MEMORY_BYTES} bytes for a container")
    container = client.containers.run(
        image, keeper, detach=True, init=not warm_program,
        user="0:0" if warm_program else KEEPER_USER,
        network_mode="bridge" if shape.network else "none",
        mem_limit=memory + reserve, memswap_limit=memory + reserve, pids_limit=shape.pids,
        nano_cpus=int(min(shape.cpus, cpus_max) * 1e9),
        read_only=True, working_dir="/",
        # /work: the samples' dirs (the judge may enter a dir it is told of, not list);
        # /judge: the judge's copies, which no sample can enter.
        tmpfs=tmpfs, shm_size=min(memory, 64 << 20), cap_drop=["ALL"],
        cap_add=["SETUID", "SETGID"] if warm_program else None, security_opt=["no-new-privileges"],
        environment={"LANG": "C.UTF-8"}, labels={LABEL: owner_label()},
    )
    return str(container.id)
