"""Test tiers. Plain `pytest` runs the fast tier: every test that starts none of the slow
parts below. `pytest --all` (or BENCHRUN_TEST_ALL=1, or any `-m` expression) runs every
test; `bash scripts/test`, which CI runs, passes --all.

The fast tier runs on two pytest-xdist workers unless told otherwise (`-n N`, `-n 0`,
`-p no:xdist`): its tests need no shared slow part, so they are safe to spread, and two
workers cut its wall time by about 40 % on 2 cores. --all runs in one process, as before:
the slow tiers share session-wide parts (one local Ray, one two-node cluster).

A test belongs to a slow tier by a marker, and the markers cannot drift:
- a test that uses a fixture starting a slow part is marked by that fixture
  (FIXTURE_TIERS, applied at collection, so `-m` and the fast tier's deselection see it;
  a fixture that depends on one of these, directly or not, marks its users too);
- a test that starts a slow part itself (a `benchrun run` subprocess on Docker, its own
  `ray.init`, llama-server, Chromium) without that part's marker trips a wire: while a
  test runs, each part whose marker it lacks (Docker, Ray, llama-server, Chromium)
  points at a stand-in here that records being reached and refuses, and the test fails
  saying which marker or fixture it needs. The fast tier's run is where this bites:
  there every slow part is a stand-in for every test."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

TIERS = {
    "docker": "needs the Docker engine and the sandbox image (fixture docker_client)",
    "ray": "starts or joins a Ray (fixtures ray_local, ray_cluster)",
    "llm": "runs the embedded llama.cpp server and model (fixture local_model)",
    "browser": "drives Chromium (fixture browser)",
    "slow": "takes more than a few seconds on its own",
}
# Fixture -> the tiers of every test that uses it.
FIXTURE_TIERS = {
    "docker_client": ("docker",),
    "ray_local": ("ray",),
    "ray_cluster_session": ("ray", "slow"),
    "browser": ("browser",),
    "local_model": ("llm",),
}
ALL_ENV = "BENCHRUN_TEST_ALL"
FAST_TIER_WORKERS = 2


def pytest_addoption(parser):
    parser.addoption("--all", action="store_true", dest="all_tiers",
                     help=f"run every test tier ({', '.join(TIERS)}), as CI does; plain pytest runs the fast tier only")


def pytest_configure(config):
    for name, description in TIERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    if not config.option.collectonly:
        config.stash[_WIRES] = Tripwires()
        config.add_cleanup(config.stash[_WIRES].close)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which turns -n into workers
def pytest_cmdline_main(config):
    spread = (config.pluginmanager.has_plugin("xdist") and config.getoption("numprocesses", None) is None
              and not hasattr(config, "workerinput") and not runs_every_tier(config)
              and not config.getoption("collectonly") and not config.getoption("usepdb"))
    if spread:
        config.option.numprocesses = FAST_TIER_WORKERS


def runs_every_tier(config) -> bool:
    return bool(config.getoption("all_tiers") or os.environ.get(ALL_ENV, "").lower() in ("1", "true", "yes")
                or config.getoption("markexpr"))


def tiers_of(item) -> set[str]:
    return {name for name in TIERS if item.get_closest_marker(name) is not None}


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection, which must see these markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in item.fixturenames:  # the closure: fixtures of fixtures count
            for tier in FIXTURE_TIERS.get(fixture, ()):
                if item.get_closest_marker(tier) is None:
                    item.add_marker(tier)
    if runs_every_tier(config):
        return
    fast = [item for item in items if not tiers_of(item)]
    slow = [item for item in items if tiers_of(item)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = fast
        config.stash[_DESELECTED] = len(slow)
        if hasattr(config, "workeroutput"):  # an xdist worker: the controller prints the summary
            config.workeroutput["tiers_deselected"] = len(slow)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist's controller: each worker collected the whole suite, so each deselected the same."""
    deselected = getattr(node, "workeroutput", {}).get("tiers_deselected", 0)
    node.config.stash[_DESELECTED] = max(deselected, node.config.stash.get(_DESELECTED, 0))


def pytest_report_header(config):
    if runs_every_tier(config):
        return "benchrun test tiers: all"
    return f"benchrun test tiers: fast only; `pytest --all` (or {ALL_ENV}=1) also runs {', '.join(TIERS)}"


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(_DESELECTED, 0):
        count = config.stash[_DESELECTED]
        terminalreporter.write_line(f"fast tier: {count} test{'s' if count != 1 else ''} of the slow tiers "
                                    f"({', '.join(TIERS)}) not run; `pytest --all` runs them")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    wires = item.config.stash.get(_WIRES, None)
    if wires is None:
        yield
        return
    with wires.armed(set(Tripwires.KINDS) - tiers_of(item)):
        yield


def tripped(item, report) -> None:
    """Fail `report` if the test reached a slow part of a tier it is not marked with
    during this phase."""
    wires = item.config.stash.get(_WIRES, None)
    touched = wires.take() if wires is not None else []
    if not touched:
        return
    report.outcome = "failed"
    report.longrepr = (f"this test reached {', '.join(touched)} but carries no marker of that tier: use the shared "
                       f"fixture (docker_client, ray_local, ray_cluster, local_model, browser) or mark it "
                       f"({', '.join('@pytest.mark.' + t for t in touched)}), so that plain pytest leaves it out "
                       f"(tests/tiers.py)\n\n{report.longrepr or ''}")


_WIRES = pytest.StashKey["Tripwires"]()
_DESELECTED = pytest.StashKey[int]()


class Tripwires:
    """Stand-ins for the slow parts, each recording that it was reached; a test is armed
    with those of the tiers it is not marked with:
    - docker: DOCKER_HOST names a Unix socket here that accepts and hangs up (the SDK and
      the CLI, in this process and in every child, read DOCKER_HOST);
    - ray: RAY_TMPDIR names a folder here, where whatever starts a Ray node writes its
      session; and `ray` on PATH;
    - llm: BENCHRUN_LLAMA_SERVER and `llama-server` on PATH;
    - browser: `chromium` on PATH.
    The commands are scripts here that log their call and exit 97."""

    KINDS = {"docker": (), "ray": ("ray",), "llm": ("llama-server",), "browser": ("chromium",)}

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="brt-"))  # short: Ray's socket paths stay under 108 bytes
        self.ray_tmp, self.log = self.root / "ray-tmp", self.root / "calls.log"
        self.ray_tmp.mkdir()
        for kind, commands in self.KINDS.items():
            for command in commands:
                (self.root / kind).mkdir(exist_ok=True)
                script = self.root / kind / command
                script.write_text(f'#!/bin/sh\necho {kind} >> "{self.log}"\n'
                                  f'echo "{command}: not started by a test without the {kind} marker (tests/tiers.py)" >&2\n'
                                  f'exit 97\n')
                script.chmod(0o755)
        self.socket_path = self.root / "docker.sock"
        self.docker_calls = 0
        self._saved: dict[str, str | None] = {}
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(self.socket_path))
        self._server.listen(16)
        threading.Thread(target=self._refuse, daemon=True, name="docker-tripwire").start()

    def _refuse(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:  # closed
                return
            self.docker_calls += 1  # before hanging up: the caller sees the count once it fails
            conn.close()

    def env(self, kinds: set[str]) -> dict[str, str]:
        env = {}
        if "docker" in kinds:
            env["DOCKER_HOST"] = f"unix://{self.socket_path}"
        if "ray" in kinds:
            env["RAY_TMPDIR"] = str(self.ray_tmp)
        if "llm" in kinds:
            env["BENCHRUN_LLAMA_SERVER"] = str(self.root / "llm" / "llama-server")
        folders = [str(self.root / kind) for kind in sorted(kinds) if self.KINDS[kind]]
        if folders:
            env["PATH"] = os.pathsep.join([*folders, os.environ.get("PATH", "")])
        return env

    @contextlib.contextmanager
    def armed(self, kinds: set[str]):
        env = self.env(kinds)
        self._saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            yield
        finally:
            _restore(self._saved)
            self._saved = {}

    @contextlib.contextmanager
    def disarmed(self):
        """The environment as before the test's wires, for a session's processes started
        inside a test (one local Ray, the two-node cluster) that outlive it."""
        armed = {name: os.environ.get(name) for name in self._saved}
        _restore(self._saved)
        try:
            yield
        finally:
            _restore(armed)

    def take(self) -> list[str]:
        """The tiers reached since the last call; resets."""
        touched = set()
        if self.docker_calls:
            touched.add("docker")
            self.docker_calls = 0
        if any(self.ray_tmp.iterdir()):
            touched.add("ray")
            shutil.rmtree(self.ray_tmp, ignore_errors=True)
            self.ray_tmp.mkdir(exist_ok=True)
        if self.log.exists():
            touched.update(line for line in self.log.read_text().split() if line in self.KINDS)
            self.log.unlink()
        return sorted(touched)

    def close(self) -> None:
        self._server.close()
        shutil.rmtree(self.root, ignore_errors=True)


def _restore(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def disarmed(config):
    """`with disarmed(request.config):` start a session-wide process without the test's wires."""
    wires = config.stash.get(_WIRES, None)
    return wires.disarmed() if wires is not None else contextlib.nullcontext()
