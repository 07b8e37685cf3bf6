"""A benchmark spec judged on a real two-node Ray cluster started on this machine
(tests/ray_cluster.py), through `benchrun run` as a real process and the spec's `address`,
against the same spec on the local executor: the same rows (unit, passed, failure
category). A real task of tasks/, deterministic models (oracle passes, identity fails),
real Docker warm pools on each node (here both nodes share this machine's engine).

One test names an image no engine has: the run fails before judging, naming every node
that lacks it. The last SIGKILLs the worker node while it judges a sample: the sample is
judged again on the head, no result is lost, none is written twice, and the run says so.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker
import duckdb
import psutil
import pytest
from ray_cluster import ray_env

from benchrun.grammar import SpecError, parse_text
from benchrun.sandboxes.docker.cleanup import LABEL

ROOT = Path(__file__).resolve().parents[2]
# One real task (its original program, oracle's and identity's judged: three sandbox runs
# of 5-25 s each): enough for both nodes to judge, and the file stays within minutes.
TASKS = [ROOT / "tasks" / "translation" / "gitpython-dvc-data-versions"]
UNITS = 2 * 2  # models x samples

# Cold sandboxes: a judged sample takes seconds (a warm one under two), so the worker can
# be killed while it judges, and an idle container runs no Python (see judging()).
SPEC = """
benchmark "cluster" {{
  tasks       [{tasks}]
  models      [oracle, identity]
  samples     2
  sandbox     docker(timeout = 180s, warm_judge = off, warm_program = off, IMAGE)
  concurrency 2
  executor    {executor}
}}
"""


def write_spec(folder: Path, name: str, executor: str, image: str = "") -> Path:
    path = folder / f"{name}.bench"
    text = SPEC.format(tasks=", ".join(f'"{t}"' for t in TASKS), executor=executor)
    path.write_text(text.replace(", IMAGE", f', image = "{image}"' if image else ""))
    return path


def run(spec: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "benchrun.cli", "run", str(spec), "--db", str(db)],
                            env={**ray_env(), "PYTHONPATH": str(ROOT)}, cwd=spec.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        raise AssertionError(f"benchrun run did not end in {timeout} s: {err[-3000:]}") from None
    return process.returncode, err


def rows(db: Path) -> list[tuple]:
    """Every sample row: (unit, task, model, passed, failure), each unit's once."""
    with duckdb.connect(str(db), read_only=True) as con:
        samples = con.execute("SELECT unit_id, task, model, passed, failure FROM samples ORDER BY ALL").fetchall()
        units = con.execute("SELECT unit_id, status FROM units").fetchall()
    assert len(units) == len({u for u, _ in units}), "a unit was written twice"
    assert {status for _, status in units} == {"done"}
    assert [s[0] for s in samples] == sorted({u for u, _ in units}), "samples lost or written twice"
    return samples


@pytest.fixture
def cluster(ray_cluster, docker_client):
    """The session's two-node cluster (tests/conftest.py), both nodes alive, judging on
    this machine's Docker engine."""
    return ray_cluster


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory, docker_client):
    folder = tmp_path_factory.mktemp("local")
    code, err = finish(run(write_spec(folder, "local", "local()"), folder / "local.duckdb"))
    assert code == 0, err[-3000:]
    found = rows(folder / "local.duckdb")
    assert len(found) == UNITS
    assert {(model, passed) for _, _, model, passed, _ in found} == {("oracle", True), ("identity", False)}
    return found


def containers_of(pids: set[int]) -> list[dict]:
    """The sandbox containers that processes `pids` own (the label says host:pid:start)."""
    client = docker.from_env()
    return [c for c in client.api.containers(all=True, filters={"label": LABEL})
            if int(c["Labels"][LABEL].split(":")[1]) in pids]


def judges_of(node) -> set[int]:
    """Pids of the node's NodeJudge actors."""
    found = set()
    for proc in node.processes():
        try:
            if "NodeJudge" in " ".join(proc.cmdline()):
                found.add(proc.pid)
        except psutil.Error:
            continue
    return found


def judging(node) -> bool:
    """Whether a sandbox of `node` runs a sample now: a Python process in it (an idle one
    holds only init, its keeper and the next sample's shell waiting on stdin)."""
    client = docker.from_env()
    for container in containers_of(judges_of(node)):
        try:
            # A container being started or removed just now lists no processes (null).
            if any("python" in process[-1] for process in client.api.top(container["Id"])["Processes"] or []):
                return True
        except docker.errors.APIError:
            continue
    return False


def test_executor_ray_needs_a_docker_sandbox(tmp_path):
    cold = "docker(timeout = 180s, warm_judge = off, warm_program = off)"
    spec = write_spec(tmp_path, "s", 'ray(address = "auto")').read_text().replace(cold, "local()")
    with pytest.raises(SpecError, match=r"executor ray\(\) judges in docker sandboxes .* use sandbox docker"):
        parse_text(spec, str(tmp_path / "s.bench"))


def test_a_benchmark_judged_on_a_two_node_cluster_matches_the_local_run(cluster, local_rows, tmp_path):
    spec = write_spec(tmp_path, "ray", f'ray(address = "{cluster.address}")')
    process = run(spec, tmp_path / "ray.duckdb")
    judged_on = set()
    while process.poll() is None:
        judged_on |= {node.name for node in cluster.nodes if judging(node)}
        time.sleep(0.3)
    code, err = finish(process)
    assert code == 0, err[-3000:]
    assert judged_on == {"head", cluster.worker.name}  # both nodes judged
    assert "was lost mid-run" not in err
    assert rows(tmp_path / "ray.duckdb") == local_rows
    assert not containers_of(judges_of(cluster.nodes[0]) | judges_of(cluster.worker))  # pools closed


def test_a_node_without_the_image_is_named_before_anything_is_judged(cluster, tmp_path):
    missing = "benchrun-sandbox:no-such-tag"  # a tag no engine has; the real image is never touched
    spec = write_spec(tmp_path, "noimage", f'ray(address = "{cluster.address}")', image=missing)
    code, err = finish(run(spec, tmp_path / "noimage.duckdb"))
    assert code != 0
    with duckdb.connect(str(tmp_path / "noimage.duckdb"), read_only=True) as con:
        errors = {e for (e,) in con.execute("SELECT DISTINCT error FROM units").fetchall()}
        assert con.execute("SELECT count(*) FROM samples").fetchone()[0] == 0
    (error,) = errors
    for node_id in cluster.alive_nodes():
        assert f"({node_id[:12]}): image {missing} missing" in error
    assert "benchrun sandbox build" in error


def test_ship_image_loads_the_image_on_a_node_that_lacks_it(cluster):
    """`ship_image`'s two halves: `docker save` here into Ray's object store, `docker load`
    pinned to a node. Both nodes share this machine's engine, so the image is taken away
    between the two: a second name of an image (never the real names) is saved, removed,
    then loaded on the worker only."""
    from benchrun.raycluster import connect
    from benchrun.sandboxes.image import base_image_tag, default_image
    from benchrun.sandboxes.ray_pool import image_problems, judging_nodes, load_image, save_image

    client = docker.from_env()
    source = next(t for t in (base_image_tag(), default_image()) if client.images.list(name=t))  # the smaller if built
    tag = f"benchrun-ship-test:{os.getpid()}"
    client.images.get(source).tag(tag)
    ray = connect(cluster.address)
    try:
        chunks = save_image(tag)
        client.images.remove(tag)  # this second name only; `source` keeps its own
        nodes = judging_nodes()
        assert len(nodes) == 2
        assert image_problems(nodes, tag) == {n["NodeID"]: f"image {tag} missing" for n in nodes}
        load_image(tag, chunks, nodes[-1:])
        assert image_problems(nodes, tag) == {}
    finally:
        ray.shutdown()
        if client.images.list(name=tag):
            client.images.remove(tag)


def test_a_worker_node_killed_mid_judging_loses_and_duplicates_nothing(cluster, local_rows, tmp_path):
    worker = cluster.worker
    process = run(write_spec(tmp_path, "ray", f'ray(address = "{cluster.address}")'), tmp_path / "ray.duckdb")
    deadline = time.monotonic() + 300
    while not judging(worker):
        assert process.poll() is None, f"the run ended before the worker judged: {process.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, "the worker node never judged a sample"
        time.sleep(0.2)
    judges = judges_of(worker)
    worker.kill()  # its raylet, object store and NodeJudge actor: SIGKILL, no clean-up
    code, err = finish(process)
    assert code == 0, err[-3000:]
    assert "was lost mid-run" in err and "run again on the nodes left" in err, err[-3000:]
    assert rows(tmp_path / "ray.duckdb") == local_rows  # 0 lost, 0 twice, the same verdicts
    assert not containers_of(judges)  # the lost node's containers were removed by the node left
