"""The memory limit is exact with the warm servers: a sample's own processes get the spec's
`memory`, whether the warm judge and warm program run in its container or not. A sample
that allocates (and touches) its whole limit, less a margin for the interpreter, gets it;
one that allocates the limit and 1 MiB more is killed, category `memory`; the same cold."""
from __future__ import annotations

import pytest

from benchrun.codegen.tasks import benchcheck_modules
from benchrun.sandboxes import MEMORY, OK, Limits

pytestmark = pytest.mark.docker

LIMITS = Limits(timeout_s=60, memory_bytes=256 << 20, cpus=1, pids=128)
# The interpreter's own memory beside the allocation: about 10 MiB for python3 alone; with
# numpy imported (cold) or a fork of the preloaded server (warm: the pages it writes of
# the server's are copied), more.
MARGINS = {"light": 24 << 20, "numpy": 64 << 20}
ALLOCATE = """
IMPORT
size = SIZE
block = b"\\x01" * size  # written through: every page is charged
print("allocated", len(block) >> 20, "MiB", flush=True)
"""


def _run(sandbox, size: int, kind: str):
    # A light program runs as a fresh python3 even in a warm container; one that imports
    # numpy runs there in a fork of the preloaded interpreter.
    source = ALLOCATE.replace("SIZE", str(size)).replace("IMPORT", "import numpy" if kind == "numpy" else "")
    return sandbox.run({"main.py": source}, ["python3", "main.py"], LIMITS)


@pytest.fixture(scope="module", params=["cold", "warm"])
def sandbox(request, docker_client):
    from benchrun.sandboxes import DockerSandbox

    warm = request.param == "warm"
    with DockerSandbox(parallelism=1, limits=LIMITS, client=docker_client,
                       warm_judge=warm, warm_program=warm) as pool:
        if warm:  # a judged sample starts both servers, as a run's first sample does
            check = {"check": "pass\n", "modules": benchcheck_modules(), "original": {}, "context": {}}
            judgement = pool.judge({"main.py": "print(1)\n"}, ["python3", "main.py"], check, LIMITS)
            assert judgement.passed, judgement
            slot = pool._idle.get(timeout=300)
            pool._idle.put(slot)
            assert slot.warm is not None and slot.preload is not None
            # The container's limit is the spec's plus what the servers hold, not a flat reserve.
            assert slot.memory_limit is not None
            assert LIMITS.memory_bytes + (100 << 20) < slot.memory_limit < LIMITS.memory_bytes + (1 << 30)
        yield pool


@pytest.mark.parametrize("kind", list(MARGINS))
def test_a_sample_gets_its_whole_limit(sandbox, kind):
    size = LIMITS.memory_bytes - MARGINS[kind]
    result = _run(sandbox, size, kind)
    assert result.category == OK, (result.stdout, result.stderr, result.detail, _limit(sandbox))
    assert f"allocated {size >> 20} MiB" in result.stdout


@pytest.mark.parametrize("kind", list(MARGINS))
def test_one_mib_more_than_the_limit_is_refused(sandbox, kind):
    result = _run(sandbox, LIMITS.memory_bytes + (1 << 20), kind)
    assert result.category == MEMORY, (result.stdout, result.stderr, result.detail, _limit(sandbox))
    assert "allocated" not in result.stdout


def _limit(sandbox):
    slot = sandbox._idle.get(timeout=300)
    sandbox._idle.put(slot)
    return slot.memory_limit
