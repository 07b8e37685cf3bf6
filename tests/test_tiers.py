"""The test tiers (tests/tiers.py), run on a probe suite in a real pytest: plain pytest
leaves out the tests of the slow tiers (marked, or marked by the fixture they use), --all
and -m select them, and an unmarked test that reaches Docker, Ray, llama-server or
Chromium fails saying which marker it needs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = '''
import shutil
import subprocess

import docker
import pytest

from benchrun.models import local


@pytest.fixture
def docker_client():  # stands in for the session's one: its users are in the docker tier
    return None


def test_uses_the_docker_fixture(docker_client):
    pass


@pytest.mark.slow
def test_marked_slow():
    pass


def test_fast():
    pass


def test_reaches_docker():
    docker.from_env(timeout=10).ping()


def test_runs_llama_server():
    subprocess.run([local.server_binary(), "--version"], capture_output=True)


def test_runs_the_ray_command():
    subprocess.run([shutil.which("ray"), "--version"], capture_output=True)


def test_runs_chromium():
    subprocess.run([shutil.which("chromium"), "--version"], capture_output=True)
'''

RAY_PROBE = '''
import ray


def test_starts_a_local_ray():
    ray.init(num_cpus=1, include_dashboard=False)
    ray.shutdown()
'''


def run_probe(folder: Path, text: str, *args: str) -> str:
    for name in ("conftest.py", "tiers.py"):
        shutil.copy(Path(__file__).with_name(name), folder / name)
    (folder / "test_probe.py").write_text(text)
    env = {name: value for name, value in os.environ.items() if name != "BENCHRUN_TEST_ALL"}
    env["COLUMNS"] = "400"  # the short summary's lines whole enough to hold each failure's reason
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).parents[1]), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-o", "addopts=",
                             "--rootdir", str(folder), str(folder), *args], capture_output=True, text=True, env=env,
                            cwd=folder, timeout=300)
    return result.stdout


def reached(kind: str) -> str:
    return f"this test reached {kind} but carries no marker of that tier"


def test_plain_pytest_runs_the_fast_tier_and_fails_unmarked_tests_that_reach_a_slow_part(tmp_path):
    out = run_probe(tmp_path, PROBE)
    assert "4 failed, 1 passed" in out and "fast tier: 2 tests of the slow tiers" in out, out
    assert "created: 2/2 workers" in out or "bringing up nodes" in out, out  # the fast tier on two xdist workers
    assert "PASSED test_probe.py::test_fast" in out
    for test, kind in [("reaches_docker", "docker"), ("runs_llama_server", "llm"), ("runs_the_ray_command", "ray"),
                       ("runs_chromium", "browser")]:
        assert f"FAILED test_probe.py::test_{test} - {reached(kind)}" in out, out


def test_all_and_m_select_the_slow_tiers(tmp_path):
    out = run_probe(tmp_path, PROBE, "--all")
    assert "4 failed, 3 passed" in out and "PASSED test_probe.py::test_uses_the_docker_fixture" in out, out
    assert "bringing up nodes" not in out, out  # every tier in one process: they share session-wide parts
    out = run_probe(tmp_path, PROBE, "-m", "docker")
    assert "1 passed, 6 deselected" in out and "PASSED test_probe.py::test_uses_the_docker_fixture" in out, out


def test_the_fast_tier_in_one_process_when_asked(tmp_path):
    out = run_probe(tmp_path, PROBE, "-n", "0")
    assert "4 failed, 1 passed, 2 deselected" in out and "bringing up nodes" not in out, out
    assert "fast tier: 2 tests of the slow tiers" in out, out


@pytest.mark.ray
def test_an_unmarked_test_that_starts_ray_fails(tmp_path):
    out = run_probe(tmp_path, RAY_PROBE)
    assert f"FAILED test_probe.py::test_starts_a_local_ray - {reached('ray')}" in out, out
