"""Hostile programs against the real Docker backend: each is contained, reported with the
right category, and the next sample in the same container runs normally."""
from __future__ import annotations

import attrs
import psutil
import pytest

from benchrun.codegen.tasks import benchcheck_modules
from benchrun.sandboxes import MEMORY, NONZERO_EXIT, OK, OUTPUT_LIMIT, PIDS, TIMEOUT
from benchrun.sandboxes.base import TAIL_BYTES

pytestmark = pytest.mark.docker

FORK_BOMB = """
import os, time
while True:
    try:
        os.fork()
    except OSError:
        time.sleep(0.01)
"""

MEMORY_BOMB = """
chunks = []
while True:
    chunks.append(bytearray(16 << 20))
"""

INFINITE_LOOP = "while True:\n    pass\n"

# Double-forked, setsid'ed, stdio closed: a daemon that outlives the sample and burns CPU.
DAEMONS = """
import os, sys
for _ in range(3):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.closerange(0, 3)
            while True:
                pass
        os._exit(0)
print("parent done")
"""

# Tries to reach a listener on the host's loopback (the test's own server, port filled in
# by `network_probe`). A sandbox with its own network namespace has only its own `lo`, so
# the connect fails; the probe never targets any address off this machine.
NETWORK = """
import socket, sys
results = []
s = socket.socket()
s.settimeout(3)
try:
    s.connect(("127.0.0.1", PORT))
    results.append("CONNECTED")
except OSError as error:
    results.append(type(error).__name__)
interfaces = [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]]
print(results, interfaces)
sys.exit(1 if "CONNECTED" in results else 0)
"""


class HostListener:
    """A TCP server on the host's loopback that counts the connections it accepts."""

    def __init__(self):
        import socket
        import threading

        self.accepted = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(2)
        self._server.close()

    def probe(self) -> str:
        return NETWORK.replace("PORT", str(self.port))


WRITE_OUTSIDE = """
import os, sys
written = []
for path in ["/etc/evil", "/tmp/evil", "/usr/lib/python3/evil.py", "/evil", "/root/evil",
             "/var/tmp/evil", "/proc/sys/kernel/evil"]:
    try:
        with open(path, "w") as f:
            f.write("x")
        written.append(path)
    except OSError:
        pass
# Writable by design, and wiped after every sample:
open("/work/planted", "w").write("x")
open("/dev/shm/planted", "w").write("x")
print("written:", written)
sys.exit(1 if written else 0)
"""

SECRETS = """
import os, glob
print(sorted(os.environ.items()))
for path in glob.glob("/proc/*/environ"):
    try:
        print(path, open(path, "rb").read())
    except OSError:
        pass
"""

BIG_OUTPUT = """
import sys
line = "x" * 1023 + "\\n"
for _ in range(100 * 1024):
    sys.stdout.write(line)
"""

# Plants a daemon that would delete or poison whatever the next sample writes.
SABOTEUR = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.closerange(0, 3)
        while True:
            for root, dirs, files in os.walk("/work"):
                for name in files:
                    try:
                        os.remove(os.path.join(root, name))
                    except OSError:
                        pass
            time.sleep(0.005)
    os._exit(0)
os.makedirs("/work/next", exist_ok=True)
print("planted")
"""

KILL_PID1 = """
import os
try:
    os.kill(1, 9)
    print("signal sent")
except PermissionError:
    print("denied")
raise SystemExit(3)
"""

# Leaves one of each kernel object that outlives its processes: a System V shared-memory
# segment filled with most of the memory limit (charged to the container while it
# exists), a semaphore set, a message queue holding a message, and a POSIX queue.
IPC_LEFTOVERS = """
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
IPC_CREAT = 0o1000
size = SIZE
shm = libc.shmget(0x6265, size, IPC_CREAT | 0o666)
address = libc.shmat(shm, None, 0)
assert shm >= 0 and address not in (None, ctypes.c_void_p(-1).value), ctypes.get_errno()
ctypes.memset(address, 0x5A, size)  # every page touched: charged to the container
libc.shmdt(ctypes.c_void_p(address))
sem = libc.semget(0x6266, 4, IPC_CREAT | 0o666)
msg = libc.msgget(0x6267, IPC_CREAT | 0o666)
note = struct.pack("l", 1) + b"for the next sample"
sent = libc.msgsnd(msg, note, len(note) - 8, 0)
queue = libc.mq_open(b"/benchrun-leftover", os.O_CREAT | os.O_WRONLY, 0o666, None)
assert min(sem, msg, sent, queue) >= 0, ctypes.get_errno()
print("left", shm, sem, msg, queue, sorted(os.listdir("/dev/mqueue")))
"""

# The next sample: finds no IPC object of the previous one, and can use its memory limit.
IPC_NEXT = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
tables = {kind: open(f"/proc/sysvipc/{kind}").readlines()[1:] for kind in ("shm", "sem", "msg")}
queues = os.listdir("/dev/mqueue")
found = libc.shmget(0x6265, 0, 0), libc.semget(0x6266, 0, 0), libc.msgget(0x6267, 0, 0)
print(tables, queues, found, flush=True)
assert not any(tables.values()) and not queues and found == (-1, -1, -1)
data = b"\\x01" * ALLOCATE  # written, so charged: more than the limit left beside the segment
print("allocated", len(data) >> 20, "MiB")
"""


def run(sandbox, program, limits, **changes):
    return sandbox.run({"main.py": program}, ["python", "main.py"], attrs.evolve(limits, **changes))


def test_fork_bomb_hits_the_pids_limit(single, limits, assert_clean):
    host_processes = len(psutil.pids())
    result = run(single, FORK_BOMB, limits, timeout_s=3)
    assert result.category == PIDS
    assert result.duration_s < 3 + 10
    assert len(psutil.pids()) < host_processes + limits.pids  # nothing spilled onto the host
    assert_clean(single)


def test_memory_bomb_is_oom_killed(single, limits, assert_clean):
    result = run(single, MEMORY_BOMB, limits)
    assert result.category == MEMORY
    assert result.oom_killed and result.exit_code == 137
    assert_clean(single)


def test_infinite_loop_times_out(single, limits, assert_clean):
    result = run(single, INFINITE_LOOP, limits, timeout_s=2)
    assert result.category == TIMEOUT and result.timed_out
    assert 2 <= result.duration_s < 2 + 5
    assert_clean(single)


def test_daemons_left_behind_are_killed(single, limits, assert_clean):
    result = run(single, DAEMONS, limits)
    assert result.category == OK and "parent done" in result.stdout
    assert result.duration_s < limits.timeout_s  # the run does not wait for the daemons
    assert_clean(single)  # no process of the sample's user is left


def test_network_is_unreachable(single, limits, assert_clean):
    with HostListener() as listener:
        result = run(single, listener.probe(), limits)
    assert listener.accepted == 0
    assert result.category == OK, result.stdout
    assert "CONNECTED" not in result.stdout and "'lo'" in result.stdout and "eth0" not in result.stdout
    assert_clean(single)


def test_writes_outside_the_work_dir_fail_or_are_wiped(single, limits, assert_clean):
    result = run(single, WRITE_OUTSIDE, limits)
    assert result.category == OK, result.stdout
    assert "written: []" in result.stdout
    assert_clean(single)  # /work/planted and /dev/shm/planted are gone


def test_host_secrets_are_not_visible(single, limits, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-host-secret-do-not-leak")
    result = run(single, SECRETS, limits)
    assert result.category == OK
    assert "sk-host-secret" not in result.stdout and "OPENAI_API_KEY" not in result.stdout
    assert "HOME" in result.stdout  # the program did print its environment


def test_100mb_of_output_is_cut_and_stopped(single, limits, assert_clean):
    rss_before = psutil.Process().memory_info().rss
    result = run(single, BIG_OUTPUT, limits, timeout_s=30)
    assert result.category == OUTPUT_LIMIT and result.output_truncated
    assert result.duration_s < 15  # stopped at the cap, not at the timeout
    assert len(result.stdout) <= TAIL_BYTES
    assert psutil.Process().memory_info().rss - rss_before < 50 << 20
    assert_clean(single)


def test_a_sample_cannot_touch_the_next_samples_files(single, limits, assert_clean):
    result = run(single, SABOTEUR, limits)
    assert result.category == OK and "planted" in result.stdout
    assert_clean(single)  # check.py and data.txt are intact, /work/next is gone


def test_killing_pid_1_is_denied(single, limits, assert_clean):
    result = run(single, KILL_PID1, limits)
    assert result.category == NONZERO_EXIT and result.exit_code == 3
    assert "denied" in result.stdout
    assert_clean(single)


def test_killing_every_process_only_ends_the_sample(single, limits, assert_clean):
    result = run(single, "import os\nos.kill(-1, 9)\nprint('survived')\n", limits)
    assert result.category in (OK, NONZERO_EXIT)
    assert_clean(single)


def test_pool_stays_healthy_after_hostile_samples(pool, docker_client, limits, assert_clean):
    for program in (INFINITE_LOOP, MEMORY_BOMB, DAEMONS):
        run(pool, program, limits, timeout_s=2)
    for _ in range(2):  # both containers of the pool
        assert_clean(pool)
    live = pool.container_ids()
    assert 1 <= len(live) <= 2
    assert all(docker_client.containers.get(c).status == "running" for c in live)


def test_ipc_objects_do_not_reach_the_next_sample(single, limits, assert_clean):
    """System V shared memory, semaphores, message queues and POSIX queues outlive the
    processes that made them: the wrapper removes them, and the next sample in the same
    container finds none and gets the whole memory limit back."""
    segment = limits.memory_bytes * 5 // 8  # 160 MiB of 256
    result = run(single, IPC_LEFTOVERS.replace("SIZE", str(segment)), limits)
    assert result.category == OK, (result.stdout, result.stderr)
    assert "left" in result.stdout and "benchrun-leftover" in result.stdout
    # Far more than the limit leaves beside a kept segment (96 MiB): fails if it was kept.
    allocate = limits.memory_bytes - (32 << 20)
    after = run(single, IPC_NEXT.replace("ALLOCATE", str(allocate)), limits)
    assert after.category == OK, (after.stdout, after.stderr, after.detail)
    assert f"allocated {allocate >> 20} MiB" in after.stdout
    assert_clean(single)


IPC_CHECK = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
assert libc.shmget(0x6268, 1 << 20, 0o1666) >= 0 and libc.msgget(0x6269, 0o1666) >= 0
assert libc.mq_open(b"/benchrun-judge", 0o100 | 0o1, 0o666, None) >= 0
open("/dev/shm/judge-leftover", "w").write("x")
"""


def test_ipc_objects_of_a_check_do_not_reach_the_next_sample(single, limits, assert_clean):
    """The judge's own leftovers (a check's, a malicious pickle's) are removed too."""
    request = {"check": IPC_CHECK, "modules": benchcheck_modules(), "original": {}, "context": {}}
    judgement = single.judge({"main.py": "print(1)"}, ["python3", "main.py"], request, limits)
    assert judgement.passed, (judgement.check.stdout, judgement.check.stderr)
    assert_clean(single)
