"""`benchrun export RUN --to mlflow DIR`: a real tuning run exported, then read back with
MLflow's own client: one experiment per block, one MLflow run per trial, with its params,
every metric history with its steps, system metrics, and tags; a second export adds
nothing. Needs mlflow (the optional extra benchrun[mlflow])."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

mlflow = pytest.importorskip("mlflow", reason="pip install 'benchrun[mlflow]' (mlflow) to test the MLflow export")

ROOT = Path(__file__).resolve().parents[2]
SPEC = """
tune "export-me" {
  datasets    [sklearn("diabetes")]
  algorithms  [linear_regression]
  grid {
    batch_size    = [32, 64]
    learning_rate = [0.01, 0.00001]
  }
  epochs      2
  evaluate    every 4 steps
  stop        when no_improvement(val_loss, evaluations = 1, min_delta = 100)
  executor    local(max_concurrent = 2)
}
"""


def cli(*args: str) -> subprocess.CompletedProcess:
    code = "from benchrun.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow  # a real run, then MLflow's own store and client: 13 s on an idle 2-core machine
def test_an_exported_run_reads_back_with_mlflows_client(tmp_path):
    from mlflow.tracking import MlflowClient

    spec, db, out = tmp_path / "t.bench", tmp_path / "r.duckdb", tmp_path / "mlruns"
    spec.write_text(SPEC)
    done = cli("run", str(spec), "--db", str(db))
    assert done.returncode == 0, done.stderr
    exported = cli("export", "latest", "--to", "mlflow", str(out), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    assert "4 trial(s) as MLflow runs in 1 experiment(s)" in exported.stdout

    with duckdb.connect(str(db), read_only=True) as con:
        (run_id,) = con.execute("SELECT run_id FROM runs").fetchone()
        units = {u: (json.loads(s), json.loads(p)) for u, s, p in con.execute("SELECT unit_id, summary, params FROM units").fetchall()}
        metrics = con.execute("SELECT unit_id, name, step, value FROM metrics ORDER BY unit_id, name, step").fetchall()

    client = MlflowClient(tracking_uri=f"sqlite:///{out / 'mlflow.db'}")
    experiment = client.get_experiment_by_name("export-me")
    runs = client.search_runs([experiment.experiment_id], max_results=100)
    assert len(runs) == len(units) == 4
    stopped = 0
    for run in runs:
        tags, params = run.data.tags, run.data.params
        summary, unit_params = units[tags["benchrun.unit_id"]]
        assert tags["benchrun.run_id"] == run_id and tags["block"] == "export-me"
        assert tags["dataset"] == "diabetes" and tags["algorithm"] == "linear_regression" and tags["search"] == "grid"
        assert tags["stop_reason"] == summary["stop_reason"]
        stopped += summary["stop_reason"] != "completed"
        assert run.info.status == "FINISHED"
        config = unit_params["config"]
        assert params["batch_size"] == str(config["batch_size"]) and float(params["learning_rate"]) == config["learning_rate"]
        assert params["epochs"] == "2" and params["evaluate_every"] == "4" and params["split.test"] == "0.3"
        assert params["stop"] == "no_improvement(val_loss, evaluations = 1, min_delta = 100)"
        # Every metric history, with its steps and values, under its name (system ones as system/...).
        mine = [(n, s, v) for u, n, s, v in metrics if u == tags["benchrun.unit_id"]]
        for name in {n for n, _, _ in mine}:
            key = f"system/{name}" if name in ("memory_mb", "worker_memory_mb", "step_time_ms", "cpu_step_ms", "cpu_pct",
                                              "cpu_time_s", "wall_time_s", "train_time_s", "load_avg") else name
            history = sorted((m.step, m.value) for m in client.get_metric_history(run.info.run_id, key))
            assert history == pytest.approx(sorted((s, v) for n, s, v in mine if n == name)), name
        assert {"train_loss", "val_loss", "rmse", "system/memory_mb", "system/step_time_ms", "system/load_avg"} <= set(run.data.metrics)
        assert run.data.metrics["summary/best_value"] == pytest.approx(summary["best_value"])
        assert run.data.metrics["summary/steps"] == summary["steps"]
    assert stopped >= 1  # the tiny learning rate's trial is stopped by the plateau rule

    again = cli("export", run_id, "--to", "mlflow", str(out), "--db", str(db))
    assert again.returncode == 0 and "0 trial(s)" in again.stdout and "4 exported before" in again.stdout
    assert len(client.search_runs([experiment.experiment_id], max_results=100)) == 4


def test_export_needs_one_destination(tmp_path):
    done = cli("export", "latest", "--db", str(tmp_path / "none.duckdb"))
    assert done.returncode != 0 and "give one of --parquet DIR and --to FORMAT DIR" in done.stderr
