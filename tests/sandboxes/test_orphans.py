"""A run killed with SIGKILL never reaches its clean-up: its warm-pool containers are then
removed by the next run (and by `benchrun sandbox status`), not left running."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchrun.sandboxes.docker.cleanup import LABEL, owner_alive

pytestmark = pytest.mark.docker

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from benchrun.cli import main; main()"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

TOML = """kind = "inline"
functionality = "experiment_tracking"
components = ["none"]
entry = "main.py"
instruction = "Print the score."
brief = "The score is printed."
"""
# The reference sleeps longer than the killed run's timeout, so that run is surely mid-sample
# when it is killed; the next run has a short timeout (and so units of its own to run).
SLOW = "import time\ntime.sleep(300)\nprint('score: 1')\n"


def _spec(tmp_path: Path, timeout_s: int) -> Path:
    task = tmp_path / "tasks" / "suite" / "slow"
    for part, text in (("input/main.py", "print('score: 1')\n"), ("reference/main.py", SLOW),
                       ("check.py", "from benchcheck import require_success\nrequire_success()\n"),
                       ("task.toml", TOML)):
        (task / part).parent.mkdir(parents=True, exist_ok=True)
        (task / part).write_text(text)
    spec = tmp_path / f"orphan-{timeout_s}.bench"
    spec.write_text(f"""benchmark "orphan" {{
  tasks       ["{task}"]
  models      [oracle]
  strategies  [zero_shot]
  samples     1
  sandbox     docker(timeout = {timeout_s}s, memory = 256MiB)
  concurrency 2
}}
""")
    return spec


def _containers_of(docker_client, pid: int) -> list[str]:
    return [c["Id"] for c in docker_client.api.containers(all=True, filters={"label": LABEL})
            if (c.get("Labels") or {}).get(LABEL, "").split(":")[1:2] == [str(pid)]]


def test_containers_of_a_killed_run_are_gone_after_the_next_run(docker_client, tmp_path):
    db = tmp_path / "results.duckdb"
    killed = subprocess.Popen([*CLI, "run", str(_spec(tmp_path, 240)), "--db", str(db)], env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_containers_of(docker_client, killed.pid)) < 2:
        assert killed.poll() is None and time.monotonic() < deadline, "the run never started its pool"
        time.sleep(0.2)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert len(_containers_of(docker_client, killed.pid)) == 2  # nothing of it cleaned up itself

    again = subprocess.run([*CLI, "run", str(_spec(tmp_path, 3)), "--db", str(db)], env=ENV, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _containers_of(docker_client, killed.pid) == []
    # and the resumed run left none either: what remains belongs to live processes (this one's pools)
    labels = [(c.get("Labels") or {}).get(LABEL, "") for c in docker_client.api.containers(all=True, filters={"label": LABEL})]
    assert [label for label in labels if not owner_alive(label)] == []


def test_sandbox_status_removes_orphans(docker_client):
    """A container labelled as owned by a process of this host that no longer runs."""
    from benchrun.sandboxes import image

    dead = subprocess.Popen(["true"])
    dead.wait()
    label = f"{socket.gethostname()}:{dead.pid}:1.00"
    container = docker_client.containers.run(image.default_image(), ["sleep", "infinity"], detach=True,
                                             labels={LABEL: label}, network_mode="none")
    try:
        status = subprocess.run([*CLI, "sandbox", "status", "--no-libs"], env=ENV, capture_output=True, text=True,
                                timeout=120)
        assert "removed 1 left by runs that were killed" in status.stdout, status.stdout + status.stderr
        assert not docker_client.api.containers(all=True, filters={"id": container.id})
    finally:
        try:
            container.remove(force=True)
        except Exception:  # noqa: BLE001  already gone, as it should be
            pass
