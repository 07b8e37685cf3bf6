"""`benchrun run` end to end in a real subprocess, on a real spec.

The spec's trial units run through the real parser, planner, run loop, tuning workload
(on its local pool: six linear-regression trials on 200 synthetic rows, a few seconds)
and store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchrun.storage import RunLock

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SPEC = """\
tune "mini" {
  datasets    [synthetic(rows = 200, features = 3, task = "regression")]
  algorithms  [linear_regression]
  grid {
    batch_size    = [8, 16, 32]
    learning_rate = [0.01, 0.1]
  }
  epochs      1
  evaluate    every 5 steps
  metric      val_loss min
}
"""


def benchrun(*args, cwd):
    return subprocess.run([sys.executable, "-m", "benchrun.cli", *args], env=ENV, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "mini.bench"
    path.write_text(SPEC)
    return path


def test_run_then_resume_then_query(tmp_path, spec):
    first = benchrun("run", str(spec), cwd=tmp_path)  # default ./benchrun.duckdb
    assert first.returncode == 0, first.stderr
    assert "finished" in first.stderr and 'benchrun sql "SELECT * FROM trial_summary"' in first.stderr
    assert (tmp_path / "benchrun.duckdb").exists()

    again = benchrun(str(spec), "--db", "benchrun.duckdb", cwd=tmp_path)  # `benchrun SPEC` means run
    assert again.returncode == 0, again.stderr
    assert "resuming: 6 of 6 units already done" in again.stderr

    runs = benchrun("sql", "SELECT units_planned, units_skipped, status FROM runs ORDER BY started", "--json", cwd=tmp_path)
    assert json.loads(runs.stdout) == [
        {"units_planned": 6, "units_skipped": 0, "status": "finished"},
        {"units_planned": 6, "units_skipped": 6, "status": "finished"},
    ]
    spec_rows = benchrun("sql", "SELECT DISTINCT spec_path, length(spec_hash) AS n FROM runs", "--json", cwd=tmp_path)
    assert json.loads(spec_rows.stdout) == [{"spec_path": str(spec), "n": 64}]
    trials = benchrun("sql", "SELECT batch_size, steps_run FROM trial_summary ORDER BY batch_size", "--csv", cwd=tmp_path)
    assert trials.stdout.splitlines()[0] == "batch_size,steps_run"
    assert len(trials.stdout.splitlines()) == 7


def test_a_wrong_spec_is_reported_without_a_traceback(tmp_path, spec):
    spec.write_text(SPEC.replace("epochs      1", "epochs      one"))
    result = benchrun("run", str(spec), "--db", "x.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    assert f"{spec}:8:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_a_locked_file_is_a_clear_error(tmp_path, spec):
    db = tmp_path / "held.duckdb"
    with RunLock(db):
        result = benchrun("run", str(spec), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: another benchrun run is writing to {db} (pid {os.getpid()}")
    assert "Traceback" not in result.stderr
