"""Fixtures for the sandbox tests: real containers of the real image, on the session's
Docker engine (docker_client, tests/conftest.py)."""
from __future__ import annotations

import pytest

from benchrun.sandboxes import Limits

# Small limits so the hostile programs hit them fast on a loaded machine.
LIMITS = Limits(timeout_s=5, memory_bytes=256 << 20, cpus=1, pids=64, output_bytes=1 << 20)

# Run as the next sample after each hostile one: proves the container it lands on is clean.
CLEAN_CHECK = r"""
import os, sys
mine = os.getuid()
ancestors, pid = set(), os.getpid()
while pid > 0:  # this check, `timeout` and the sandbox's wrapper
    ancestors.add(pid)
    pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
others = []
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) not in ancestors:
        try:
            if os.stat(f"/proc/{pid}").st_uid == mine:
                others.append(open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode())
        except FileNotFoundError:
            pass
work = sorted(set(os.listdir("/work")) - {os.path.basename(os.getcwd())})
shm = sorted(os.listdir("/dev/shm"))
ipc = [line for kind in ("shm", "sem", "msg") for line in open(f"/proc/sysvipc/{kind}").readlines()[1:]]
ipc += sorted(os.listdir("/dev/mqueue")) if os.path.isdir("/dev/mqueue") else []
own = sorted(os.listdir("."))
print({"processes": others, "work": work, "shm": shm, "ipc": ipc, "own": own})
sys.exit(0 if not (others or work or shm or ipc) and own == ["check.py", "data.txt"] else 1)
"""


@pytest.fixture(scope="session")
def pool(docker_client):
    """The shared warm pool of two containers, as a run with parallelism 2 would have."""
    from benchrun.sandboxes import DockerSandbox

    with DockerSandbox(parallelism=2, limits=LIMITS, client=docker_client) as sandbox:
        yield sandbox


@pytest.fixture
def single(docker_client):
    """A one-container pool: the next sample surely lands where the hostile one ran."""
    from benchrun.sandboxes import DockerSandbox

    with DockerSandbox(parallelism=1, limits=LIMITS, client=docker_client) as sandbox:
        yield sandbox


@pytest.fixture
def assert_clean():
    """Runs CLEAN_CHECK as the next sample and asserts the sandbox is as new."""

    def check(sandbox) -> None:
        result = sandbox.run({"check.py": CLEAN_CHECK, "data.txt": "x"}, ["python", "check.py"], LIMITS)
        assert result.category == "ok", (result.stdout, result.stderr, result.detail)

    return check


@pytest.fixture
def limits():
    return LIMITS
