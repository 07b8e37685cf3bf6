"""The judge: runs a task's check over what a finished program left, and says pass or fail.

This file is a standalone script (standard library only). The sandbox runs it with
`python3 -I -c <this source>` after the program's whole process tree is gone, as a user
that the program never was (Docker) and with its request on stdin, never on disk:

    {"nonce": ..., "sample": dir the program ran in, "scratch": a judge-only dir,
     "check": check.py's source, "modules": {module name: source} (the benchcheck
        package: "benchcheck" its __init__, "benchcheck.judge" and the others its modules),
     "original": {path: text} (the task's pristine input files),
     "context": {...} (handed to benchcheck: the program's and the original's output),
     "reap": whether to kill every other process of this user at the end,
     "sample_uid": the program's user, none of whose processes may still run}

The verdict line also carries the graded values the check measured (benchcheck's
`measure`), as base64 JSON, "-" when none: read from the judge's own memory once the check
has ended, so they too reach the sandbox only with the nonce.

It makes itself non-dumpable first, so no other process of any user can read its memory,
its environment or its file descriptors (/proc/PID/mem, environ, fd are then root's) or
ptrace it. Then the nonce is known to this process alone, and the only pass the sandbox
accepts is the line `\\x1eBENCHRUN-VERDICT <nonce> pass` on stdout: whatever a check's child
process (git, a model loader) runs can end the check, never pass it.

The check runs in a copy of the program's dir owned by the judge, with `-I` (no cwd, no
PYTHON* variables, no user site on sys.path), benchcheck and the original program's
modules served from memory (nothing on disk for a child process to rewrite), and git told
to ignore the repository's hooks, fsmonitor and pager.

The warm judge (Docker backend). Importing scikit-learn, MLflow, DVC, Optuna and skops
takes seconds, and every check paid it again (twice where a model was loaded). So each
container starts, before any sample, `python3 -I -c <this source> serve SOCKET` as the
judge's user: a server that makes itself non-dumpable, imports those libraries (PRELOAD)
and then only accepts connections on a Unix socket in /judge, forking a child per request.
Every child starts from that pristine, never-used state; the server never reads a
request's data (only a one-byte kind and the descriptors sent with it), so it never holds
a nonce, and a child's memory is its own. A judge exec (`request["server"]` names the
server's pid, start time and socket) verifies the socket's peer (SO_PEERCRED) is that very
process, hands over its stdout and stderr and its request, and the forked child judges
exactly as above: the verdict is still the child's alone. The check's out-of-process
loader (benchcheck.load_artifact) is forked from the server too, never from the judge.
The judge's final reap spares only the server and the exec waiting on it; if the server
cannot be verified, the exec judges cold itself and reports the end unclean, so the
container is replaced.
"""
import base64
import builtins
import ctypes
import gc
import importlib.abc
import importlib.machinery
import importlib.util
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import struct
import sys
import time
import traceback

VERDICT_MARK = "\x1eBENCHRUN-VERDICT"
PR_SET_DUMPABLE = 4

# Git reads these after the repository's own config, so a program's .git/config cannot run
# anything through them while the check reads the repository.
GIT_OVERRIDES = {
    "core.fsmonitor": "false",
    "core.hooksPath": "/dev/null",
    "core.pager": "cat",
    "core.editor": "false",
    "core.sshCommand": "false",
    "diff.external": "",
    "safe.directory": "*",
    "protocol.allow": "never",
}


# Imported once by the warm judge server, before any sample: what checks and the loader use.
PRELOAD = (
    "numpy", "pandas", "scipy.stats", "joblib", "sklearn", "sklearn.datasets", "sklearn.model_selection",
    "sklearn.linear_model", "sklearn.ensemble", "sklearn.tree", "sklearn.neighbors", "sklearn.svm",
    "sklearn.neural_network", "sklearn.pipeline", "sklearn.preprocessing", "sklearn.metrics",
    "mlflow", "mlflow.sklearn", "mlflow.pyfunc", "mlflow.models", "mlflow.artifacts",
    "mlflow.store.tracking.sqlalchemy_store", "mlflow.store.model_registry.sqlalchemy_store",
    "mlflow.store.tracking.file_store", "skops.io", "dvc.api", "dvc.repo", "dvc.exceptions", "git",
    "optuna", "onnx", "wandb.proto.wandb_internal_pb2",
)
# Not onnxruntime (nor skl2onnx, which imports it): it starts a thread when imported, and a
# fork keeps only the forking thread. (pyarrow, which pandas and mlflow import, starts one
# too; Arrow re-creates its thread pools in a forked child.) Checks import it when used.
WARM_MARK = "\x1eBENCHRUN-WARM"


def _no_dump() -> None:
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def _copy_tree(source: str, target: str) -> None:
    """Regular files, dirs and symlinks (as links); a fifo or device would block a reader."""
    os.makedirs(target)
    for root, dirs, files in os.walk(source):
        rel = os.path.relpath(root, source)
        dest = os.path.normpath(os.path.join(target, rel))
        for name in dirs + files:
            src, dst = os.path.join(root, name), os.path.join(dest, name)
            mode = os.lstat(src).st_mode
            if stat.S_ISLNK(mode):
                os.symlink(os.readlink(src), dst)
            elif stat.S_ISDIR(mode):
                os.mkdir(dst)
            elif stat.S_ISREG(mode):
                shutil.copyfile(src, dst)


class _MemoryModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves modules from sources held in memory: the benchcheck package, then the original
    program's modules. A name with submodules among the sources is a package whose
    __path__ is empty: its submodules come from memory alone, never from a directory."""

    def __init__(self, sources: dict, setup: dict) -> None:
        self.sources, self.setup = sources, setup
        self.packages = {name.rsplit(".", i)[0] for name in sources for i in range(1, name.count(".") + 1)}

    def find_spec(self, name, path=None, target=None):
        if name in self.sources:
            return importlib.util.spec_from_loader(name, self, origin=self._origin(name))
        return None

    def is_package(self, name) -> bool:
        return name in self.packages

    def _origin(self, name) -> str:
        where = name.replace(".", "/")
        return f"<judge>/{where}/__init__.py" if self.is_package(name) else f"<judge>/{where}.py"

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__dict__.update(self.setup.get(module.__name__, {}))
        exec(compile(self.sources[module.__name__], self._origin(module.__name__), "exec"), module.__dict__)


class _NotFromWork(importlib.abc.MetaPathFinder):
    """Whatever a check puts on sys.path, no module is imported from the program's files."""

    def __init__(self, work: str) -> None:
        self.work = os.path.realpath(work)

    def find_spec(self, name, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None:
            return None
        places = [spec.origin or "", *(spec.submodule_search_locations or [])]
        for place in places:
            real = os.path.realpath(place) if place else ""
            if real == self.work or real.startswith(self.work + os.sep):
                raise ImportError(f"the judge imports nothing from the program's files ({name} from {place})")
        return spec


def _modules(request: dict) -> dict:
    sources = {}
    for path, text in request.get("original", {}).items():
        # A dotted name (a.b.py) could not be imported as a top-level module anyway.
        if path.endswith(".py") and "/" not in path and "." not in path[:-3]:
            sources[path[:-3]] = text
    sources.update(request.get("modules", {}))  # benchcheck wins over a task file of that name
    return sources


def _environment(work: str, scratch: str) -> None:
    home = os.path.join(scratch, "home")
    os.makedirs(os.path.join(home, ".cache", "dvc"))
    os.environ.update(
        HOME=home, TMPDIR=home, MPLCONFIGDIR=home, USER="judge", LOGNAME="judge",
        MLFLOW_TRACKING_URI=f"file://{work}/mlruns", DVC_SITE_CACHE_DIR=os.path.join(home, ".cache", "dvc"),
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_TERMINAL_PROMPT="0",
        GIT_CONFIG_COUNT=str(len(GIT_OVERRIDES)),
    )
    for i, (key, value) in enumerate(GIT_OVERRIDES.items()):
        os.environ[f"GIT_CONFIG_KEY_{i}"], os.environ[f"GIT_CONFIG_VALUE_{i}"] = key, value


def _untrusted_in_loader() -> bool:
    """SQLite and YAML the check reads are parsed in the loader, not here (benchcheck.untrusted)."""
    try:
        importlib.import_module("benchcheck.untrusted").install()
    except Exception:  # noqa: BLE001  no judging without it
        traceback.print_exc()
        return False
    return True


def _run_check(source: str) -> bool:
    """True iff check.py runs to its end (or exits 0); fail() and any exception fail it."""
    namespace = {"__name__": "__main__", "__file__": "check.py", "__builtins__": builtins}
    try:
        exec(compile(source, "check.py", "exec"), namespace)
    except SystemExit as end:
        return end.code in (0, None)
    except BaseException:  # noqa: BLE001  any error of the check is a failed sample
        traceback.print_exc()
        return False
    return True


MAX_MEASURES = 32


def _measures() -> str:
    """The check's measures (benchcheck.judge keeps them) as the verdict line's last field:
    base64 of their JSON, or "-". Only well-formed ones, at most MAX_MEASURES."""
    found = getattr(sys.modules.get("benchcheck.judge"), "_MEASURES", None)
    kept = []
    for item in found if isinstance(found, list) else []:
        try:
            name, value, unit = item["name"], float(item["value"]), item.get("unit", "")
        except (TypeError, KeyError, ValueError, AttributeError):
            continue
        if isinstance(name, str) and isinstance(unit, str) and len(name) <= 40 and len(unit) <= 16 \
                and math.isfinite(value):
            kept.append({"name": name, "value": value, "unit": unit})
    kept = kept[:MAX_MEASURES]
    return base64.b64encode(json.dumps(kept).encode()).decode() if kept else "-"


def _others(uid: int | None = None, spare: frozenset = frozenset()) -> list[int]:
    """Live (not zombie) processes of `uid` (default: this user) other than this one and `spare`."""
    me, uid, found = os.getpid(), os.getuid() if uid is None else uid, []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me and int(entry) not in spare:
            try:
                if os.stat(f"/proc/{entry}").st_uid != uid:
                    continue
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    zombie = handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
            except (OSError, IndexError):
                continue
            if not zombie:
                found.append(int(entry))
    return found


def _reap(spare: frozenset = frozenset()) -> bool:
    """Kill every other process of this user (the check's children and anything they left),
    but those in `spare` (the warm server and the exec waiting for this judge)."""
    for _ in range(50):
        if spare:
            for pid in _others(spare=spare):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        else:
            try:
                os.kill(-1, signal.SIGKILL)  # all processes this user may signal, never itself
            except ProcessLookupError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:  # our own children's zombies
                pass
        except ChildProcessError:
            pass
        if not _others(spare=spare):
            return True
        time.sleep(0.02)
    return False


# Kernel objects that outlive the processes that made them: System V IPC, POSIX queues, /dev/shm.
SYSV_IPC = ("/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg")
SHARED_DIRS = ("/dev/shm", "/dev/mqueue")


def _kernel_leftovers() -> int:
    """Remove what the check's children left in shared kernel places (the next sample of
    this container would find it); how many remain (then the container is replaced)."""
    def count() -> int:
        found = 0
        for path in SYSV_IPC:
            try:
                with open(path) as table:
                    found += len(table.readlines()[1:])
            except OSError:
                pass
        for folder in SHARED_DIRS:
            try:
                found += len(os.listdir(folder))
            except OSError:
                pass
        return found

    if not count():
        return 0
    import subprocess  # noqa: PLC0415  rarely needed: only when something was left

    subprocess.run(["ipcrm", "--all"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    for folder in SHARED_DIRS:
        for root, dirs, files in os.walk(folder, topdown=False):
            for name in files:
                try:
                    os.unlink(os.path.join(root, name))
                except OSError:
                    pass
            for name in dirs:
                try:
                    os.rmdir(os.path.join(root, name))
                except OSError:
                    pass
    return count()


def main() -> None:
    _no_dump()
    data = sys.stdin.buffer.read()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    request = json.loads(data)
    server = request.pop("server", None)
    if server and not _needs_preload(request):
        # A check that imports none of the preloaded libraries (HumanEval's, a score
        # read from the output) is judged here at once: a fork of the server would only
        # add its page tables and teardown. Its reap spares the verified server; a server
        # that cannot be verified makes the container unclean (it is replaced).
        spare = _verified(server)
        if not spare:
            print("benchrun: the warm judge could not be verified; judging cold", file=sys.stderr)
        judge(request, spare=spare, unclean=not spare)
    if server:
        handed = _hand_over(server, data)
        if handed is not None:
            os._exit(0)  # the forked judge has printed (or, dying, not printed) the verdict
        print("benchrun: the warm judge could not be verified; judging cold", file=sys.stderr)
    judge(request, unclean=bool(server))


def import_statements(modules) -> re.Pattern:
    """Matches a line that imports one of `modules` (or a submodule): `import a, numpy as
    np`, `from sklearn.svm import SVC`. Also used by the host for programs (docker/servers.py)."""
    names = "|".join(sorted({re.escape(name.split(".")[0]) for name in modules}))
    return re.compile(rf"^[ \t]*(?:import[ \t][^\n#]*\b(?:{names})\b|from[ \t]+(?:{names})\b)", re.M)


def _first_to_kill() -> None:
    """The OOM killer's first choice: this judge, never the warm server beside it."""
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _needs_preload(request: dict) -> bool:
    """Whether the check imports a preloaded library, itself or through a benchcheck helper
    whose module does (a word match: anything unsure goes to the warm server)."""
    imports = import_statements((*PRELOAD, "onnxruntime", "skl2onnx"))
    check = request.get("check", "")
    if imports.search(check):
        return True
    helpers = {name for source in request.get("modules", {}).values() if imports.search(source)
               for name in re.findall(r"^def ([A-Za-z_]\w*)", source, re.M)}
    return bool(helpers) and re.search(rf"\b(?:{'|'.join(sorted(helpers))})\b", check) is not None


def _verified(server: dict) -> frozenset:
    """The server's pid if that process is still the server (its start time), else none."""
    try:
        return frozenset({server["pid"]}) if _start_time(server["pid"]) == server["start"] else frozenset()
    except (OSError, KeyError, IndexError, TypeError):
        return frozenset()


def judge(request: dict, spare: frozenset = frozenset(), unclean: bool = False, loader=None) -> None:
    """Judge `request` (a cold exec, or a child of the warm server) and print the verdict."""
    _first_to_kill()
    nonce = request.pop("nonce")
    request.pop("server", None)
    scratch = os.path.join(request["scratch"], secrets.token_hex(8))
    work = os.path.join(scratch, "work")
    os.makedirs(scratch, mode=0o700)
    sample_uid = request.get("sample_uid")
    try:
        if sample_uid is not None and _others(sample_uid):
            raise OSError("processes of the program are still running")
        _copy_tree(request["sample"], work)
    except OSError as error:
        print(f"CHECK FAILED: the program's files cannot be judged: {error}", file=sys.stderr)
        passed = False
    else:
        os.chdir(work)
        _environment(work, scratch)
        setup = {"benchcheck.judge": {"_JUDGE": request.get("context", {})}}  # the module reading it
        if loader is not None:
            setup["benchcheck.artifacts"] = {"_SPAWN_LOADER": loader}
        # First on the path: a check's own sys.path edits cannot bring in a file of the work dir.
        sys.meta_path[:0] = [_MemoryModules(_modules(request), setup), _NotFromWork(work)]
        passed = _untrusted_in_loader() and _run_check(request["check"])
    measures = _measures()
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir("/")
    clean = _reap(spare) if request.get("reap") else True
    for pid in spare:  # a stopped server or waiting exec would stall the next sample, not pass it
        try:
            os.kill(pid, signal.SIGCONT)
        except OSError:
            pass
    shutil.rmtree(scratch, ignore_errors=True)
    clean = clean and not os.path.exists(scratch) and not unclean and not (request.get("reap") and _kernel_leftovers())
    os.write(1, f"\n{VERDICT_MARK} {nonce} {'pass' if passed else 'fail'} {int(clean)} {measures}\n".encode())
    os._exit(0)


# ---------------------------------------------------------------- the warm judge

_CRED = struct.Struct("3i")  # struct ucred: pid, uid, gid


def _start_time(pid: int) -> str:
    """Field 22 of /proc/PID/stat: when the process started (a reused pid has another)."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        return handle.read().rsplit(b")", 1)[1].split()[19].decode()


def _connect(server: dict) -> socket.socket:
    """A connection to the warm server, verified to be that very process (pid, start time,
    this user): whoever else bound the socket's path gets nothing."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(30)
        conn.connect(server["socket"])
        pid, uid, _ = _CRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CRED.size))
        if pid != server["pid"] or uid != os.getuid() or _start_time(pid) != str(server["start"]):
            raise OSError("the socket's peer is not the warm judge server")
        conn.settimeout(None)
    except BaseException:
        conn.close()
        raise
    return conn


def _hand_over(server: dict, data: bytes) -> bool | None:
    """Give the request and this exec's stdout and stderr to a child of the verified warm
    server; wait until that child has ended. None when the server cannot be verified."""
    try:
        conn = _connect(server)
    except (OSError, KeyError, TypeError, ValueError):
        return None
    with conn:
        socket.send_fds(conn, [b"J"], [1, 2])
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(4096):  # the judge closes it when it ends
            pass
    return True


class _ForkedLoader:
    """The out-of-process loader, forked from the warm server (never from the judge, whose
    memory holds the nonce): Popen's stdin, stdout and kill() as benchcheck uses them."""

    def __init__(self, server: dict, source: str) -> None:
        to_child, self._stdin_w = os.pipe()
        self._stdout_r, from_child = os.pipe()
        conn = _connect(server)
        with conn:
            socket.send_fds(conn, [b"L"], [to_child, from_child])
            conn.sendall(json.dumps({"source": source, "cwd": os.getcwd(), "env": dict(os.environ)}).encode())
            conn.shutdown(socket.SHUT_WR)
        os.close(to_child)
        os.close(from_child)
        self.stdin = os.fdopen(self._stdin_w, "w")
        self.stdout = os.fdopen(self._stdout_r, "r")

    def kill(self) -> None:
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _child(kind: bytes, fds: list, conn: socket.socket, server: dict, peer: int) -> None:
    """In a fresh fork of the server: a judge (kind J) or a loader (kind L)."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    conn.settimeout(60)
    if kind == b"J" and len(fds) == 2:
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in fds:
            os.close(fd)
        sys.stdout, sys.stderr = os.fdopen(1, "w", closefd=False), os.fdopen(2, "w", closefd=False)
        request = json.loads(_read_all(conn))
        conn.settimeout(None)
        judge(request, spare=frozenset({server["pid"], peer}),
              loader=lambda source: _ForkedLoader(server, source))  # os._exit()s; conn closes then
    elif kind == b"L" and len(fds) == 2:
        header = json.loads(_read_all(conn))
        conn.close()
        os.dup2(fds[0], 0)
        os.dup2(fds[1], 1)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        for fd in (*fds, null):
            os.close(fd)
        sys.stdin, sys.stdout = os.fdopen(0, "r", closefd=False), os.fdopen(1, "w", closefd=False)
        os.chdir(header["cwd"])
        os.environ.clear()
        os.environ.update(header["env"])
        exec(compile(header["source"], "<loader>", "exec"), {"__name__": "__main__", "__builtins__": builtins})
        sys.stdout.flush()
    os._exit(0)


def serve(path: str) -> None:
    """The warm judge server: import PRELOAD, then fork a child per connection (see the top)."""
    _no_dump()
    os.umask(0o077)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  a library missing from this image: imported cold when used
            pass
    gc.freeze()  # a child's collections skip the preloaded objects: no time walking them, no pages copied
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    server = {"pid": os.getpid(), "start": _start_time(os.getpid()), "socket": path}
    threads = len(os.listdir("/proc/self/task"))
    print(f"{WARM_MARK} {server['pid']} {server['start']} {threads}", flush=True)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    while True:
        conn, _ = listener.accept()
        try:
            conn.settimeout(10)
            peer, uid, _ = _CRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CRED.size))
            # One byte and its descriptors: the request itself is read by the child alone.
            kind, fds, _, _ = socket.recv_fds(conn, 1, 2) if uid == os.getuid() else (b"", [], 0, None)
        except OSError:
            conn.close()
            continue
        if fds and os.fork() == 0:
            try:
                listener.close()
                _child(kind, fds, conn, server, peer)
            finally:
                os._exit(1)
        for fd in fds:
            os.close(fd)
        conn.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2])
    else:
        main()
