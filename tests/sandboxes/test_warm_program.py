"""The warm program (preload.py, `docker(warm_program = on)`): `python3 FILE` runs in a fork
of a preloaded interpreter. What a program sees is what `python3 FILE` gives (same
output, exit codes, tracebacks, signals, argv, cwd, environment), with fresh random
state per sample; a file that would shadow a preloaded module runs it cold; a program
cannot reach the server, and nothing it starts runs on after its run."""
from __future__ import annotations

import json
import textwrap

import pytest

from benchrun.sandboxes import Limits

pytestmark = pytest.mark.docker

LIMITS = Limits(timeout_s=60, memory_bytes=512 << 20, cpus=1, pids=128)

# (files, argv after python3): each must give the same result both ways.
PROGRAMS = {
    "prints, argv, cwd, env, file": ({"main.py": textwrap.dedent("""
        import os, sys
        print(sys.argv, os.getcwd() == os.path.dirname(__file__), os.environ["GREETING"], __name__)
        print(sys.path[0] == os.path.dirname(__file__), sys.path[1:], repr(sys.stdin.read()), file=sys.stderr)
    """)}, ["main.py", "one", "two words"]),
    "exit code": ({"main.py": "import sys\nprint('before')\nsys.exit(3)\n"}, ["main.py"]),
    "exit with a message": ({"main.py": "import sys\nsys.exit('stopped here')\n"}, ["main.py"]),
    "traceback": ({"main.py": "def f():\n    raise ValueError('boom')\n\nf()\n"}, ["main.py"]),
    "syntax error": ({"main.py": "x = (\n"}, ["main.py"]),
    "import of a sibling module": ({"main.py": "import helper\nhelper.hello()\n",
                                    "helper.py": "def hello():\n    print('hello from helper')\n"}, ["main.py"]),
    "killed by a signal": ({"main.py": "import os, signal\nprint('x', flush=True)\nos.kill(os.getpid(), signal.SIGTERM)\n"},
                           ["main.py"]),
    "threads and exit handlers": ({"main.py": textwrap.dedent("""
        import atexit, threading, time
        atexit.register(lambda: print("atexit ran"))
        def late():
            time.sleep(0.3)
            print("thread finished")
        threading.Thread(target=late).start()
        print("main done")
    """)}, ["main.py"]),
    "pickle of a class of __main__": ({"main.py": textwrap.dedent("""
        import pickle
        class Point:
            def __init__(self, x):
                self.x = x
        print(pickle.loads(pickle.dumps(Point(4))).x)
    """)}, ["main.py"]),
    "no such file": ({}, ["missing.py"]),
}


@pytest.fixture(scope="module")
def pools(docker_client):
    from benchrun.sandboxes import DockerSandbox

    cold = DockerSandbox(parallelism=1, limits=LIMITS, client=docker_client)
    with cold, DockerSandbox(parallelism=1, limits=LIMITS, warm_program=True, client=docker_client) as warm:
        yield {"cold": cold, "warm": warm}


def _run(sandbox, files, argv, env=None):
    return sandbox.run(files, ["python3", *argv], LIMITS, env)


def _same(run) -> tuple:
    # The sample's dir differs per sample: compare with it replaced.
    work = "/work/"
    def strip(text):
        return "\n".join(line.split(work)[0] + (line.split(work, 1)[1].split("/", 1)[-1] if work in line else "")
                         for line in text.splitlines())
    return run.exit_code, run.category, strip(run.stdout), strip(run.stderr)


# A program that imports none of the preloaded libraries runs as a fresh python3: this file
# beside it makes every program here one that runs in the preloaded interpreter.
HEAVY = {"uses_numpy.py": "import numpy\n"}


def test_a_light_program_runs_as_a_fresh_python3_and_a_heavy_one_warm(pools):
    probe = "import os, sys\nprint('mlflow' in sys.modules, open(f'/proc/{os.getppid()}/cmdline').read()[:7])\n"
    light = _run(pools["warm"], {"main.py": probe}, ["main.py"])
    heavy = _run(pools["warm"], {"main.py": probe, **HEAVY}, ["main.py"])
    assert light.stdout.split() == ["False", "timeout"], light  # its parent: the wrapper's `timeout`
    assert heavy.stdout.split()[0] == "True", heavy  # a fork of the preloaded server


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_a_program_sees_what_python3_file_gives(pools, name):
    files, argv = PROGRAMS[name]
    files = {**files, **HEAVY}
    cold, warm = (_run(pools[way], files, argv, {"GREETING": "hi there"}) for way in ("cold", "warm"))
    assert _same(warm) == _same(cold), (warm, cold)


def test_the_program_runs_in_the_preloaded_interpreter_with_fresh_random_state(pools):
    probe = {"main.py": "import sys, numpy, random\nprint('mlflow' in sys.modules, numpy.random.rand(), random.random())\n"}
    cold = _run(pools["cold"], probe, ["main.py"]).stdout.split()
    warm = [_run(pools["warm"], probe, ["main.py"]).stdout.split() for _ in range(2)]
    assert cold[0] == "False" and warm[0][0] == warm[1][0] == "True"  # preloaded: no import to pay
    assert warm[0][1] != warm[1][1] and warm[0][2] != warm[1][2]  # each sample its own random numbers


def test_a_file_that_shadows_a_preloaded_module_runs_cold(pools):
    files = {"main.py": "import sys, numpy\nprint(numpy.SHADOW, 'mlflow' in sys.modules)\n", "numpy.py": "SHADOW = 'mine'\n"}
    assert _run(pools["warm"], files, ["main.py"]).stdout.split() == ["mine", "False"]


# Run as the program: everything it might try against the server, then a daemon that
# outlives the run and asks the server for a program that writes a mark into /work.
PROBE = textwrap.dedent(r"""
    import array, json, os, signal, socket, sys, time
    server = [int(p) for p in os.listdir("/proc") if p.isdigit() and os.stat(f"/proc/{p}").st_uid == 0
              and b"serve" in open(f"/proc/{p}/cmdline", "rb").read()]
    tried = {"server": len(server), "capabilities": [line.split()[1] for line in open("/proc/self/status")
                                                     if line.startswith(("CapEff", "CapPrm", "CapAmb"))]}
    def attempt(name, action):
        try:
            action()
            tried[name] = "done"
        except OSError as error:
            tried[name] = type(error).__name__
    s = server[0]
    attempt("kill", lambda: os.kill(s, signal.SIGKILL))
    attempt("environ", lambda: open(f"/proc/{s}/environ", "rb").read())
    attempt("mem", lambda: open(f"/proc/{s}/mem", "rb").read(1))
    attempt("fd", lambda: os.listdir(f"/proc/{s}/fd"))
    attempt("replace the shim", lambda: open("/preload/bin/python3", "w").write("#!/bin/sh\n"))
    attempt("write beside the shim", lambda: open("/preload/bin/x", "w").write(""))

    def ask(argv):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect("\0benchrun-preload")
        request = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
        try:  # the server decides before reading: a refused request may find the connection closed
            s.sendmsg([request], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
        except BrokenPipeError:
            pass
        try:
            return json.loads(s.recv(4096) or b"{}")
        except ConnectionResetError:  # closed with the request unread: refused before its reply is read
            return {"cold": "connection reset"}

    open("mark.py", "w").write("import time\ntime.sleep(2)\nopen('/work/left-behind', 'w').write('x')\n")
    if os.fork() == 0:  # a daemon: its parent becomes init, it is no longer part of the run
        os.setsid()
        if os.fork() == 0:
            time.sleep(0.5)
            open("daemon.part", "w").write(json.dumps(ask(["mark.py"])))
            os.rename("daemon.part", "daemon.json")  # whole: the run reads it as soon as it exists
            for _ in range(200):  # and keeps asking, after the run too
                try:
                    ask(["mark.py"])
                except OSError:
                    pass
                time.sleep(0.05)
            os._exit(0)
        os._exit(0)
    for _ in range(100):
        if os.path.exists("daemon.json"):
            break
        time.sleep(0.05)
    tried["daemon asked"] = json.load(open("daemon.json"))
    print(json.dumps(tried))
""")


def test_a_program_cannot_reach_the_server_and_nothing_it_starts_outlives_its_run(pools):
    warm = pools["warm"]
    probe = _run(warm, {"main.py": PROBE, **HEAVY}, ["main.py"])
    assert probe.stdout, probe.stderr
    tried = json.loads(probe.stdout.strip().splitlines()[-1])
    assert tried["server"] == 1
    assert tried["capabilities"] == ["0000000000000000"] * 3  # the server's SETUID/SETGID are not the sample's
    for what in ("kill", "environ", "mem", "fd"):
        assert tried[what] == "PermissionError", (what, tried)
    assert tried["replace the shim"] in ("PermissionError", "OSError") and tried["write beside the shim"] != "done"
    assert "cold" in tried["daemon asked"]  # a daemon's request is refused
    after = _run(warm, {"main.py": textwrap.dedent("""
        import os, time
        time.sleep(3)  # longer than the daemon's program would take
        mine = [p for p in os.listdir("/proc") if p.isdigit() and os.stat(f"/proc/{p}").st_uid == 65534]
        parents = [open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] for p in mine]
        print(os.path.exists("/work/left-behind"), parents.count("1"), len(mine))
    """), **HEAVY}, ["main.py"])
    # Nothing of the previous sample: no mark, no daemon (a process whose parent is init);
    # uid 65534 runs only the wrapper, its `timeout`, the shim and this program.
    left, daemons, processes = after.stdout.split()
    assert (left, daemons, processes) == ("False", "0", "4"), after


def test_limits_hold_in_the_preloaded_interpreter(pools):
    warm = pools["warm"]
    spin = warm.run({"main.py": "while True:\n    pass\n", **HEAVY}, ["python3", "main.py"],
                    Limits(timeout_s=3, memory_bytes=512 << 20, cpus=1, pids=128))
    assert spin.category == "timeout", spin
    bomb = _run(warm, {"main.py": "x = []\nwhile True:\n    x.append(bytearray(50 << 20))\n", **HEAVY}, ["main.py"])
    assert bomb.category == "memory", bomb
    again = _run(warm, {"main.py": "import sys\nprint('mlflow' in sys.modules)\n", **HEAVY}, ["main.py"])
    assert again.stdout.strip() == "True"  # a fresh container, preloaded again


# Every process of the container as a sample sees it: uid, permitted and effective
# capabilities, command line (status and cmdline are readable by any user).
PROCESSES = textwrap.dedent(r"""
    import json, os
    found = []
    for pid in sorted((p for p in os.listdir("/proc") if p.isdigit()), key=int):
        try:
            status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status").read().splitlines() if ":" in line)
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode().strip()[-80:]
        except OSError:
            continue
        found.append({"pid": int(pid), "uid": int(status["Uid"].split()[0]), "prm": status["CapPrm"].strip(),
                      "eff": status["CapEff"].strip(), "cmd": cmdline})
    print(json.dumps(found))
""")


def test_only_the_server_holds_capabilities(pools):
    """The container's config user is root (so the server's exec may keep SETUID and
    SETGID); every other process, PID 1 included, has none and is not root."""
    run = _run(pools["warm"], {"main.py": PROCESSES, **HEAVY}, ["main.py"])
    processes = json.loads(run.stdout.strip().splitlines()[-1])
    powerful = [p for p in processes if int(p["prm"], 16) or int(p["eff"], 16)]
    assert [p["cmd"].split()[-1] for p in powerful] == ["serve"], processes
    assert [p["uid"] for p in powerful] == [0]
    assert [p["uid"] for p in processes if p["uid"] == 0] == [0], processes  # no other root process
    [init] = [p for p in processes if p["pid"] == 1]
    assert init["uid"] == 65533 and init["prm"] == init["eff"] == "0000000000000000", init


def test_a_program_inherits_no_descriptor_of_the_server(pools):
    """The forked child closes every descriptor but its request's connection before it
    becomes the sample's user: the program sees what `python3 FILE` sees."""
    files = {"main.py": "import os, sys\nprint(sorted(int(f) for f in os.listdir('/proc/self/fd')), "
                        "'sklearn' in sys.modules)\n", **HEAVY}
    warm, cold = (_run(pools[way], files, ["main.py"]) for way in ("warm", "cold"))
    assert (warm.stdout, cold.stdout) == ("[0, 1, 2, 3] True\n", "[0, 1, 2, 3] False\n"), (warm, cold)
