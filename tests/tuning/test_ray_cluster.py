"""A tune spec on a real two-node Ray cluster started on this machine (tests/ray_cluster.py),
through `benchrun run` as a real process and the spec's `address`, against the same spec
on the local executor: same units, configurations, stop steps and metrics. One test
SIGKILLs the worker node's processes while it trains a trial: the trial runs again on the
head, and the results file holds the same rows as the one-machine run, none lost, none
twice."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from ray_cluster import ray_env
from tuning_fixtures import PMLB_CACHE

ROOT = Path(__file__).resolve().parents[2]

SPEC = """
dataset blobs    = synthetic(rows = ROWS, features = 20, task = classification, seed = 1)
dataset diabetes = pmlb("diabetes")

tune "cluster" {
  datasets    [blobs, diabetes]
  algorithms  [logistic_regression]
  grid {
    batch_size    = [16]
    learning_rate = [0.001, 0.03, 3.0]
    alpha         = [0.0001, 0.01]
  }
  epochs      EPOCHS
  evaluate    every 25 steps
  STOP
  executor    EXECUTOR
  seed        5
}
"""
UNITS = 12
# Metrics that depend on the trial only (not on the machine's load): compared row for row.
DETERMINISTIC = ("train_loss", "val_loss", "accuracy")
SUMMARY_KEYS = ("config", "stop_reason", "stopped_at_step", "steps", "total_steps", "best_value", "val_loss",
                "accuracy", "batch_size")


RULE = "stop        when no_improvement(val_loss, evaluations = 4, min_delta = 0.001)"


def write_spec(folder: Path, name: str, executor: str, rows: int = 6000, epochs: int = 4, rule: bool = True) -> Path:
    path = folder / f"{name}.bench"
    text = SPEC.replace("EXECUTOR", executor).replace("ROWS", str(rows)).replace("EPOCHS", str(epochs))
    path.write_text(text.replace("STOP", RULE if rule else ""))
    return path


def start_run(spec: Path, db: Path) -> subprocess.Popen:
    env = {**ray_env(), "PYTHONPATH": str(ROOT), "BENCHRUN_PMLB_CACHE": PMLB_CACHE}
    return subprocess.Popen([sys.executable, "-m", "benchrun.cli", "run", str(spec), "--db", str(db)], env=env,
                            cwd=spec.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(process: subprocess.Popen, timeout: float = 600) -> str:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        raise AssertionError(f"benchrun run did not end in {timeout} s: {err[-3000:]}") from None
    assert process.returncode == 0, f"exit {process.returncode}: {err[-3000:]}"
    return err


def results(db: Path) -> tuple[dict[str, dict], list[tuple], list[tuple]]:
    """(done unit -> summary, every unit row (unit, status), every metric row of DETERMINISTIC)."""
    with duckdb.connect(str(db), read_only=True) as con:
        units = con.execute("SELECT unit_id, status, summary FROM units ORDER BY unit_id").fetchall()
        metrics = con.execute(
            "SELECT unit_id, step, name, value FROM metrics WHERE name IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY unit_id, name, step", [list(DETERMINISTIC)]).fetchall()
        duplicated = con.execute(
            "SELECT count(*) FROM (SELECT unit_id, step, name FROM metrics GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
    assert duplicated == 0, f"{duplicated} metric rows logged twice"
    summaries = {unit: {k: json.loads(s).get(k) for k in SUMMARY_KEYS} for unit, status, s in units if status == "done"}
    return summaries, [(unit, status) for unit, status, _ in units], metrics


def trial_actors(node) -> list[psutil.Process]:
    """The node's Ray Tune trial actors (Ray titles their processes ray::ImplicitFunc)."""
    found = []
    for proc in node.processes():
        try:
            if "ImplicitFunc" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def local_results(folder: Path, **shape):
    spec = write_spec(folder, "local", "local(max_concurrent = 2)", **shape)
    finish(start_run(spec, folder / "local.duckdb"))
    return results(folder / "local.duckdb")


@pytest.fixture
def cluster(ray_cluster):
    """The session's two-node cluster (tests/conftest.py), both nodes alive."""
    return ray_cluster


def assert_same(ray_side, local_side) -> None:
    ray_summaries, ray_units, ray_metrics = ray_side
    local_summaries, local_units, local_metrics = local_side
    assert len(local_units) == UNITS and all(status == "done" for _, status in local_units)
    assert ray_units == local_units  # the same units, each once, all done: none lost, none twice
    for unit, summary in local_summaries.items():
        assert ray_summaries[unit] == summary, unit
    assert len(ray_metrics) == len(local_metrics) > 0
    assert ray_metrics == local_metrics


def test_a_tune_spec_on_a_two_node_cluster_matches_the_local_executor(cluster, tmp_path, pmlb_cache):
    assert len(cluster.alive_nodes()) == 2
    started = time.monotonic()
    local = local_results(tmp_path)
    local_seconds = time.monotonic() - started
    spec = write_spec(tmp_path, "ray", f'ray(address = "{cluster.address}", cpus_per_trial = 1)')
    started = time.monotonic()
    run = start_run(spec, tmp_path / "ray.duckdb")
    trained_on = set()
    while run.poll() is None and time.monotonic() - started < 600:
        trained_on |= {node.name for node in cluster.nodes if trial_actors(node)}
        time.sleep(0.5)
    err = finish(run)
    assert trained_on == {"head", cluster.worker.name}  # both nodes ran trials
    print(f"local executor {local_seconds:.1f} s, two-node Ray cluster {time.monotonic() - started:.1f} s")
    assert "were lost with their worker or node" not in err
    assert_same(results(tmp_path / "ray.duckdb"), local)
    stop_reasons = {s["stop_reason"].split("(")[0] for s in local[0].values()}
    assert stop_reasons == {"completed", "no_improvement"}  # the rule did stop some trials, at the same step


def done_units(db: Path) -> int:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM units WHERE status = 'done'").fetchone()[0]
    except duckdb.Error:  # not created yet, or the writer holds it this instant
        return 0


def busy_trial(node) -> psutil.Process | None:
    """A Tune trial actor of `node` that is busy (using the CPU) right now."""
    for proc in trial_actors(node):
        try:
            if proc.cpu_percent(interval=0.3) > 10:
                return proc
        except psutil.Error:
            continue
    return None


def test_a_worker_node_killed_mid_trial_loses_and_duplicates_nothing(cluster, tmp_path, pmlb_cache):
    worker = cluster.worker
    # Every trial on the synthetic set trains for many seconds (no stop rule), so the kill
    # lands in one: at 16,000 rows a trial of the worker could end between being seen busy
    # and the kill (CI saw the run finish with nothing lost).
    shape = dict(rows=40000, epochs=5, rule=False)
    spec = write_spec(tmp_path, "ray", f'ray(address = "{cluster.address}", cpus_per_trial = 1, max_failures = 2)',
                      **shape)
    run = start_run(spec, tmp_path / "ray.duckdb")
    deadline = time.monotonic() + 300
    trial = None
    while trial is None:
        assert run.poll() is None, f"the run ended before a trial ran on the worker node: {run.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, "no trial ran on the worker node"
        # Trials are flowing (one has finished, so the worker's actor is past its start-up:
        # killing a trial actor that is still starting is requeued by Tune, not a lost trial)
        # and the worker's trial is training.
        trial = busy_trial(worker) if done_units(tmp_path / "ray.duckdb") else None
    raylet = worker.raylet()
    os.killpg(os.getpgid(raylet.pid), signal.SIGKILL)  # the node: its raylet, object store and trial workers
    worker.kill()  # and anything of its session that was not in that group
    assert len(cluster.alive_nodes()) <= 2
    err = finish(run)
    print(" ".join(line.strip() for line in err.splitlines() if "Ray:" in line or "lost with" in line))
    assert "were lost with their worker or node and run again elsewhere" in err, err[-3000:]
    assert_same(results(tmp_path / "ray.duckdb"), local_results(tmp_path, **shape))
