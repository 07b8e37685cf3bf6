"""The warm program: a program's heavy imports paid once per container, not once per sample.

This file is a standalone script (standard library only) that the Docker backend runs in
each container with `docker(warm_program = on)`:

    python3 -s -c <this source> serve

as root (the container's only root process and the only one with any capability: SETUID
and SETGID, nothing else; PID 1 is a reaper as uid 65533). It makes itself non-dumpable, imports the libraries the corpus's programs
use (PRELOAD), writes the shim below to /preload/bin/python3 (a root-owned tmpfs no
sample can write) and serves a Unix socket in the container's own network namespace.
The sample's PATH starts with /preload/bin, so `python3 train.py` reaches the shim, which
hands the server its argv, cwd, environment and stdin/stdout/stderr. The server forks;
the child drops to the sample's uid (65534) for good before it touches anything of the
request, and runs the program in that already-importing interpreter; the server relays
its exit status to the shim, which exits the same way (or dies of the same signal), so the
sandbox's wrapper sees what `python3 train.py` would have given.

Why a sample cannot use this to reach the next one:
- The server is root and non-dumpable: no sample process can signal, ptrace or read it.
  It never reads a request: it decides from the peer's credentials and /proc, forks, and
  the child reads the request once it has closed every descriptor it inherited but its
  connection and become the sample's user. The server only forks. Every child starts from the same pristine
  state (the server never ran a program), and a child's memory is its own.
- A request is served only while the sample's run is going on: its sender must descend
  from the live `timeout` that the sandbox's wrapper (an exec: parent pid 0) runs the
  program under, directly or through children this server forked for that same `timeout`.
  A double-forked daemon (its parent is then init) or anything after the run is refused.
- The server forks one child at a time and waits until the child has become uid 65534,
  then looks again that the `timeout` still lives, and only then lets it go on. So a child
  is a uid-65534 process before its run can end, and the wrapper's clean-up (kill every
  process of uid 65534, then check none is left) reaches every child: none outlives it.
- The shim takes the server's word only from root (SO_PEERCRED); a sample is never root.

What the program sees that a fresh `python3 train.py` would not: the preloaded modules
are already in sys.modules (so the shim runs cold, a real `python3`, when a file or folder
of the program's dir has the name of one of them, which a fresh interpreter would import
instead); the hash seed is the server's (string hashing is the same in every sample);
sys.flags.no_user_site is set (the shim runs cold when the user site exists); library
state set at import time was set with the sample's standard environment (the shim runs
cold when a variable read at interpreter or library start-up differs); the preloaded
objects are frozen out of the garbage collector (gc.get_objects() omits them). numpy's
global random state and tempfile's folder are reset in each child.
"""
import array
import ctypes
import gc
import json
import os
import select
import signal
import socket
import struct
import sys
import time

SOCKET = "\0benchrun-preload"  # abstract: in the container's network namespace only
SHIM = "/preload/bin/python3"
REAL_PYTHON = "/usr/bin/python3"
SAMPLE_UID = 65534
READY_MARK = "\x1eBENCHRUN-PRELOAD"
PR_SET_DUMPABLE = 4
# Read when an interpreter or a library starts: a request that differs runs cold.
START_VARIABLES = ("LANG", "LC_ALL", "LC_CTYPE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
PRELOAD = (
    "numpy", "pandas", "scipy", "sklearn", "sklearn.model_selection", "sklearn.linear_model", "sklearn.ensemble",
    "sklearn.metrics", "sklearn.datasets", "sklearn.tree", "sklearn.neighbors", "sklearn.svm",
    "sklearn.preprocessing", "sklearn.pipeline", "sklearn.neural_network", "joblib", "mlflow", "mlflow.sklearn",
    "optuna", "git", "dvc.repo", "dvc.api", "onnx", "skl2onnx", "skops.io",
)  # not wandb: importing it makes temporary folders that its exit handlers then remove; not
# onnxruntime: it starts a thread at import, which a fork does not keep

SHIM_SOURCE = r'''#!/usr/bin/python3 -IS
# benchrun's warm-program shim: run `python3 FILE ARGS` in a fork of the container's
# preloaded interpreter, or as the real python3 when that cannot be done.
import array, json, os, signal, socket, struct, sys
args = sys.argv[1:]


def cold():
    os.execv("/usr/bin/python3", ["python3", *args])


if not args or args[0].startswith("-"):
    cold()
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect("\0benchrun-preload")
    if struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1] != 0:
        cold()  # only the root server, never a sample's impostor
    request = json.dumps({"argv": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    s.sendmsg([request], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
    reply = json.loads(s.recv(4096) or b"{}")
except (OSError, ValueError):
    cold()
if "pid" not in reply:
    cold()
child = reply["pid"]


def forward(signum, frame):
    try:
        os.kill(child, signum)
    except OSError:
        pass


for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
    signal.signal(sig, forward)
try:
    status = json.loads(s.recv(4096) or b"{}").get("status")
except (OSError, ValueError):
    status = None
if status is None:  # the server is gone: the program's end is unknown
    try:
        os.kill(child, signal.SIGKILL)
    except OSError:
        pass
    sys.stderr.write("benchrun: the preloaded interpreter was lost\n")
    os._exit(125)
if os.WIFSIGNALED(status):  # die of the same signal, as the program did
    try:
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    except (OSError, ValueError):
        pass  # SIGKILL and SIGSTOP have no handler to reset
    os.kill(os.getpid(), os.WTERMSIG(status))
os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)
'''


def _stat(pid):
    """(comm, state, ppid, start time, real uid) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        with open(f"/proc/{pid}/status", "rb") as f:
            uid = next(int(line.split()[1]) for line in f if line.startswith(b"Uid:"))
    except (OSError, StopIteration, ValueError):
        return None
    comm = data[data.index(b"(") + 1 : data.rindex(b")")].decode(errors="replace")
    fields = data[data.rindex(b")") + 2 :].split()
    return comm, fields[0].decode(), int(fields[1]), fields[19].decode(), uid


def _alive(pid, start):
    found = _stat(pid)
    return found is not None and found[3] == start and found[1] not in ("Z", "X")


class Server:
    def __init__(self, listener, wake):
        self.listener, self.wake = listener, wake  # wake: (read, write) of the SIGCHLD pipe
        self.children = {}  # pid -> [start, run, connection]; run: (timeout's pid, its start)

    def run_of(self, pid):
        """The run a requester belongs to: the wrapper's `timeout` it descends from, directly
        or through a child of ours; None for anything else."""
        for _ in range(256):
            if pid in self.children:
                start, run, _ = self.children[pid]
                return run if _alive(pid, start) else None
            found = _stat(pid)
            if found is None or found[4] != SAMPLE_UID or found[1] in ("Z", "X"):
                return None
            comm, _, ppid, start, _ = found
            parent = _stat(ppid) if ppid > 1 else None
            if parent is not None and parent[2] == 0 and parent[4] == SAMPLE_UID and comm == "timeout":
                return pid, start  # the wrapper's (an exec's) `timeout`
            if ppid <= 1 or ppid == os.getpid():
                return None
            pid = ppid
        return None

    def serve(self):
        while True:
            ready, _, _ = select.select([self.listener, self.wake[0]], [], [])
            if self.wake[0] in ready:
                try:
                    while os.read(self.wake[0], 512):
                        pass
                except BlockingIOError:
                    pass
                self.reap()
            if self.listener in ready:
                try:
                    connection, _ = self.listener.accept()
                except OSError:
                    continue
                try:
                    self.handle(connection)
                except Exception:  # noqa: BLE001  a bad request ends only itself
                    connection.close()

    def handle(self, connection):
        """Decide from the peer's credentials alone, then fork: the child, once it is the
        sample's user, reads the request and its descriptors; the server never does."""
        connection.settimeout(2)
        pid, uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
        run = self.run_of(pid) if uid == SAMPLE_UID else None
        if run is None:
            connection.send(b'{"cold": "not a sample\'s run"}')
            connection.close()
            return
        child = self.fork(connection, run)
        if child is None:
            connection.close()
            return
        found = _stat(child)
        self.children[child] = [found[3] if found else "", run, connection]
        connection.send(json.dumps({"pid": child}).encode())

    def fork(self, connection, run):
        """Fork the child; let it run only once it is uid 65534 and the run still goes on."""
        from_child, to_parent = os.pipe()
        from_parent, to_child = os.pipe()
        child = os.fork()
        if child == 0:
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                # Nothing of the server's but the request's connection and the two pipes:
                # not the listener, not other samples' connections, not the server's stdio.
                self.listener.detach()
                for _, _, other in self.children.values():
                    other.detach()
                _close_all_but({connection.fileno(), to_parent, from_parent})
                os.setgroups([])
                os.setgid(SAMPLE_UID)
                os.setuid(SAMPLE_UID)
                ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # like any sample process
                os.write(to_parent, b"1")
                if os.read(from_parent, 1) != b"1":
                    os._exit(0)
                os.close(to_parent)
                os.close(from_parent)
                request, fds = _receive(connection)
                _run_program(request, fds)
            except BaseException as error:  # noqa: BLE001  before the program ran
                try:
                    os.write(2, f"benchrun: the preloaded interpreter could not start the program: {error!r}\n".encode())
                except OSError:
                    pass
            finally:
                os._exit(125)
        os.close(to_parent)
        os.close(from_parent)
        try:
            ready, _, _ = select.select([from_child], [], [], 10)
            became_sample = bool(ready) and os.read(from_child, 1) == b"1"
            go = became_sample and _alive(*run)
            os.write(to_child, b"1" if go else b"0")
        finally:
            os.close(from_child)
            os.close(to_child)
        return child if go else None

    def reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            entry = self.children.pop(pid, None)
            if entry is not None:
                try:
                    entry[2].send(json.dumps({"status": status}).encode())
                except OSError:
                    pass
                entry[2].close()


def _close_all_but(keep):
    """Close every descriptor of this process but `keep` (a fork inherits all the server's);
    0, 1 and 2 become /dev/null until the sample's arrive, so that those arrive above them."""
    for name in os.listdir("/proc/self/fd"):
        if int(name) not in keep:
            try:
                os.close(int(name))
            except OSError:
                pass  # the listing's own descriptor, already closed
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != null and fd not in keep:
            os.dup2(null, fd)
    if null > 2:
        os.close(null)


def _receive(connection):
    """In the child, as the sample's user: the shim's request and its stdin, stdout, stderr."""
    connection.settimeout(10)
    fds = array.array("i")
    message, ancillary, _, _ = connection.recvmsg(1 << 20, socket.CMSG_SPACE(3 * fds.itemsize))
    connection.close()
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    if len(fds) != 3:
        os._exit(125)
    return json.loads(message), list(fds)


def _run_program(request, fds):
    """In the child, as the sample's user: become `python3 FILE ARGS` and run it."""
    _first_to_kill()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    argv, env = request["argv"], request["env"]
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(env)
    why = _why_cold(argv, env)
    if why:
        os.execv(REAL_PYTHON, ["python3", *argv])
    path = os.path.abspath(argv[0])
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(path))  # the server's own cwd entry was removed at its start
    _fresh_state()
    code = 0
    try:
        _run_as_main(path)
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException as error:  # noqa: BLE001  printed as the interpreter would
        traceback = error.__traceback__
        while traceback is not None and traceback.tb_frame.f_code.co_filename != path:
            traceback = traceback.tb_next  # this file's frames: a fresh interpreter has none
        sys.excepthook(type(error), error.with_traceback(traceback), traceback)
        code = 1
    _interpreter_exit(code)


def _first_to_kill():
    """The OOM killer's first choice: the program, never the server it was forked from."""
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _run_as_main(path):
    """Run the file as a fresh interpreter runs its script: in a new `__main__` module."""
    import builtins
    import importlib.machinery
    import types

    main = types.ModuleType("__main__")
    main.__file__, main.__cached__, main.__builtins__ = path, None, builtins
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    sys.modules["__main__"] = main
    with open(path, "rb") as f:
        source = f.read()
    exec(compile(source, path, "exec", dont_inherit=True), main.__dict__)


def _why_cold(argv, env):
    if not os.path.isfile(argv[0]):
        return "no such file"  # the real python3 prints its own message
    for name in START_VARIABLES:
        if env.get(name) != STARTED_WITH.get(name):
            return name
    if any(name.startswith("PYTHON") and env[name] != STARTED_WITH.get(name) for name in env):
        return "a PYTHON variable"
    home = env.get("HOME", "")
    if home and os.path.isdir(os.path.join(home, ".local", "lib")):
        return "a user site"
    folder = os.path.dirname(os.path.abspath(argv[0]))
    for entry in os.listdir(folder):
        name, dot, suffix = entry.partition(".")
        module = suffix in ("py", "pyc", "so") or (dot and suffix.endswith(".so")) or (
            not dot and os.path.isfile(os.path.join(folder, entry, "__init__.py")))
        if module and name in PRELOADED:  # a fresh interpreter would import this file instead
            return f"{entry} shadows a preloaded module"
    return ""


def _fresh_state():
    import random
    import tempfile

    random.seed()
    tempfile.tempdir = None
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def _exit_code(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


def _interpreter_exit(code):
    """What the interpreter does at the end: wait for non-daemon threads, run atexit
    handlers, flush the streams."""
    import atexit
    import threading

    try:
        threading._shutdown()
    except BaseException:  # noqa: BLE001
        pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    os._exit(code)


STARTED_WITH = {}
PRELOADED = set()


def main():
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    os.chdir("/")
    sys.path[:] = [p for p in sys.path if p]  # no cwd entry
    STARTED_WITH.update(os.environ)
    before = set(sys.modules)
    for module in PRELOAD:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001  a library the image lacks is simply not preloaded
            pass
    PRELOADED.update(name.split(".")[0] for name in set(sys.modules) - before)
    PRELOADED.discard("__main__")
    # What the imports made is never collected: a child's collections then skip it, so they
    # neither spend time walking it nor copy its pages (writing the collector's counts).
    gc.freeze()
    os.makedirs(os.path.dirname(SHIM), exist_ok=True)
    with open(SHIM, "w") as f:
        f.write(SHIM_SOURCE)
    os.chmod(SHIM, 0o755)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(SOCKET)
    listener.listen(64)
    wake = os.pipe()
    for fd in wake:
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(wake[1])
    signal.signal(signal.SIGCHLD, lambda *_: None)
    with open(f"/proc/{os.getpid()}/stat", "rb") as f:
        start = f.read().rsplit(b")", 1)[1].split()[19].decode()
    sys.stdout.write(f"{READY_MARK} {os.getpid()} {start} {len(PRELOADED)} {time.time():.0f}\n")
    sys.stdout.flush()
    sys.stderr.flush()
    Server(listener, wake).serve()


if __name__ == "__main__" and sys.argv[1:] == ["serve"]:
    main()
