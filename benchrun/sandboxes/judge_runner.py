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

It makes itself non-dumpable first, so no other process of any user can read its memory,
its environment or its file descriptors (/proc/PID/mem, environ, fd are then root's) or
ptrace it. Then the nonce is known to this process alone, and the only pass the sandbox
accepts is the line `\\x1eBENCHRUN-VERDICT <nonce> pass` on stdout: whatever a check's child
process (git, a model loader) runs can end the check, never pass it.

The check runs in a copy of the program's dir owned by the judge, with `-I` (no cwd, no
PYTHON* variables, no user site on sys.path), benchcheck and the original program's
modules served from memory (nothing on disk for a child process to rewrite), and git told
to ignore the repository's hooks, fsmonitor and pager.
"""
import builtins
import ctypes
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import secrets
import shutil
import signal
import stat
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


def _others(uid: int | None = None) -> int:
    """Processes of `uid` (default: this user) other than this one."""
    me, uid, count = os.getpid(), os.getuid() if uid is None else uid, 0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            try:
                count += os.stat(f"/proc/{entry}").st_uid == uid
            except OSError:
                pass
    return count


def _reap() -> bool:
    """Kill every other process of this user (the check's children and anything they left)."""
    for _ in range(50):
        try:
            os.kill(-1, signal.SIGKILL)  # all processes this user may signal, never itself
        except ProcessLookupError:
            pass
        if not _others():
            return True
        time.sleep(0.02)
    return False


def main() -> None:
    _no_dump()
    request = json.loads(sys.stdin.buffer.read())
    nonce = request.pop("nonce")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
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
        # First on the path: a check's own sys.path edits cannot bring in a file of the work dir.
        sys.meta_path[:0] = [_MemoryModules(_modules(request), setup), _NotFromWork(work)]
        passed = _run_check(request["check"])
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir("/")
    clean = _reap() if request.get("reap") else True
    shutil.rmtree(scratch, ignore_errors=True)
    clean = clean and not os.path.exists(scratch)
    os.write(1, f"\n{VERDICT_MARK} {nonce} {'pass' if passed else 'fail'} {int(clean)}\n".encode())
    os._exit(0)


if __name__ == "__main__":
    main()
