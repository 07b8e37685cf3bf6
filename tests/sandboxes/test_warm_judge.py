"""The warm judge (judge_runner.py `serve`): one preloaded server per container forks each
sample's judge. A program cannot reach or alter it; one judge cannot alter it for the
next; a socket whose peer is not the verified server is never handed a request."""
from __future__ import annotations

import json
import os
import socket
import textwrap

import pytest

from benchrun.codegen.tasks import benchcheck_modules
from benchrun.sandboxes import Limits
from benchrun.sandboxes.docker.servers import Server

pytestmark = pytest.mark.docker

LIMITS = Limits(timeout_s=60, memory_bytes=512 << 20, cpus=1, pids=128)

# Run as the program (uid 65534): everything it might try against the server.
PROBE = textwrap.dedent(r"""
    import json, os, signal, socket
    found = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat(f"/proc/{pid}").st_uid == 65532:
                    found[pid] = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[-2].decode()
            except OSError:
                pass
    server = [int(pid) for pid, arg in found.items() if arg.endswith("socket")]
    tried = {"server": server}
    def attempt(name, action):
        try:
            action()
            tried[name] = "done"
        except OSError as error:
            tried[name] = type(error).__name__
    s = server[0]
    attempt("connect", lambda: socket.socket(socket.AF_UNIX).connect("/judge/.warm/socket"))
    attempt("list /judge", lambda: os.listdir("/judge"))
    attempt("kill", lambda: os.kill(s, signal.SIGKILL))
    attempt("stop", lambda: os.kill(s, signal.SIGSTOP))
    attempt("environ", lambda: open(f"/proc/{s}/environ", "rb").read())
    attempt("mem", lambda: open(f"/proc/{s}/mem", "rb").read(1))
    attempt("fd", lambda: os.listdir(f"/proc/{s}/fd"))
    attempt("maps", lambda: open(f"/proc/{s}/maps").read())
    print(json.dumps(tried))
""")

# Run as a check (in a judge forked from the server): tampers with every library it can.
TAMPER_CHECK = textwrap.dedent("""
    import numpy, sklearn, sys
    numpy.mean = lambda *a, **k: "tampered"
    sklearn.TAMPERED = True
    sys.modules["benchrun_planted"] = sys
    import os
    print("judge pid", os.getpid(), "server", os.getppid())
""")
PRISTINE_CHECK = textwrap.dedent("""
    import numpy, sklearn, sys
    from benchcheck import fail
    if numpy.mean([1.0, 3.0]) != 2.0 or hasattr(sklearn, "TAMPERED") or "benchrun_planted" in sys.modules:
        fail("the warm judge kept a previous judge's changes")
    if "mlflow" not in sys.modules:
        fail("the judge was not forked from the preloaded server")
""")
# Kills the server and leaves a socket at its path: the next judge must not use it.
IMPOSTOR_CHECK = textwrap.dedent("""
    import os, signal, socket
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) not in (os.getpid(),):
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read()
            except OSError:
                continue
            if cmd.endswith(b"serve\\0/judge/.warm/socket\\0"):
                os.kill(int(pid), signal.SIGKILL)
    os.unlink("/judge/.warm/socket")
    impostor = socket.socket(socket.AF_UNIX)
    impostor.bind("/judge/.warm/socket")
    impostor.listen(1)
""")
FAILING_CHECK = "from benchcheck import fail\nfail('this check fails')\n"


def _request(check: str) -> dict:
    return {"check": check, "modules": benchcheck_modules(), "original": {}, "context": {}}


@pytest.fixture
def warm(docker_client):
    from benchrun.sandboxes import DockerSandbox

    with DockerSandbox(parallelism=1, limits=LIMITS, client=docker_client, warm_judge=True) as sandbox:
        yield sandbox


def _judge(sandbox, check: str, program: str = "print(1)\n"):
    judgement = sandbox.judge({"main.py": program}, ["python3", "main.py"], _request(check), LIMITS)
    assert judgement.check is not None, judgement.program
    return judgement


def _slot(sandbox):
    """The pool's one container, once it is back in the pool."""
    slot = sandbox._idle.get(timeout=300)
    sandbox._idle.put(slot)
    return slot


def _server(sandbox) -> Server | None:
    return _slot(sandbox).warm


def test_a_program_cannot_reach_the_warm_judge(warm):
    first = _judge(warm, "pass\n")
    assert first.passed, first.check.stderr
    server = _server(warm)
    assert server, "the warm judge did not start"
    judgement = _judge(warm, "pass\n", PROBE)
    tried = json.loads(judgement.program.stdout.strip().splitlines()[-1])
    assert tried["server"] == [server.pid]
    assert tried["connect"] == "PermissionError" and tried["list /judge"] == "PermissionError"
    assert tried["kill"] == "PermissionError" and tried["stop"] == "PermissionError"
    for what in ("environ", "mem", "fd", "maps"):
        assert tried[what] == "PermissionError", (what, tried)
    assert judgement.passed and _server(warm) == server  # the same server judged, untouched
    assert "judging cold" not in judgement.check.stderr


def test_one_judge_cannot_alter_the_warm_judge_for_the_next(warm):
    tampered = _judge(warm, TAMPER_CHECK)
    assert tampered.passed, tampered.check.stderr
    server = _server(warm)
    assert f"server {server.pid}" in tampered.check.stdout  # forked from the server
    again = _judge(warm, PRISTINE_CHECK)
    assert again.passed, again.check.stderr
    assert _server(warm) == server


def test_an_impostor_server_is_never_handed_a_request(warm):
    assert _judge(warm, "pass\n").passed
    container = _slot(warm).container
    _judge(warm, IMPOSTOR_CHECK)
    # The judge that killed the server is still reaped clean, but the next one cannot verify
    # the server: it judges cold (the verdict stays right) and the container is replaced.
    failing = _judge(warm, FAILING_CHECK)
    assert not failing.passed and "this check fails" in failing.check.stderr
    assert "judging cold" in failing.check.stderr
    assert _slot(warm).container != container  # replaced, with a server of its own
    passing = _judge(warm, PRISTINE_CHECK)
    assert passing.passed, passing.check.stderr


def test_the_peer_of_the_socket_is_verified(tmp_path):
    """On the host: a listener that is not the named process (pid or start time) is refused."""
    import benchrun.sandboxes.judge_runner as runner

    path = str(tmp_path / "socket")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(8)
    me = os.getpid()
    with pytest.raises(OSError, match="not the warm judge server"):
        runner._connect({"socket": path, "pid": me + 1, "start": runner._start_time(me)})
    with pytest.raises(OSError, match="not the warm judge server"):
        runner._connect({"socket": path, "pid": me, "start": "0"})
    runner._connect({"socket": path, "pid": me, "start": runner._start_time(me)}).close()
    assert runner._hand_over({"socket": str(tmp_path / "nothing"), "pid": me, "start": "0"}, b"{}") is None
    listener.close()
