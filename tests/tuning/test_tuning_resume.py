"""A resumed Optuna search continues its study: `benchrun run` as real processes on a real
results file, the first one killed with SIGKILL in the middle of the search."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SAMPLES = 12  # past TPE's 10 random start-up trials, so the replayed history steers it

SPEC = """
tune "search" {
  datasets    [synthetic(rows = 3000, features = 10, task = classification)]
  algorithms  [logistic_regression]
  optuna(samples = SAMPLES, sampler = tpe) {
    batch_size    = choice([8, 16])
    learning_rate = loguniform(0.001, 0.1)
    alpha         = [0.0001]
  }
  evaluate    every 100 steps
  executor    local(max_concurrent = 1)
  seed        3
}
""".replace("SAMPLES", str(SAMPLES))


def run(spec: Path, db: Path) -> subprocess.Popen:
    code = "from benchrun.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, "run", str(spec), "--db", str(db)], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def done(db: Path) -> dict[str, tuple[str, dict]]:
    """unit id -> (run id, configuration trained) of every done row."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute("SELECT unit_id, run_id, summary FROM units WHERE status = 'done'").fetchall()
    except duckdb.Error:  # not created yet, or the writer holds it this instant
        return {}
    return {unit: (run_id, json.loads(summary)["config"]) for unit, run_id, summary in rows}


@pytest.mark.slow  # a real run trained, killed and resumed: a minute on a loaded 2-core machine
def test_a_search_killed_mid_way_resumes_its_study_without_repeating_a_trial(tmp_path):
    spec = tmp_path / "search.bench"
    spec.write_text(SPEC)

    killed = run(spec, tmp_path / "resumed.duckdb")
    deadline = time.monotonic() + 240
    while len(done(tmp_path / "resumed.duckdb")) < 3:
        assert killed.poll() is None, killed.communicate()
        assert time.monotonic() < deadline, "the search made no progress"
        time.sleep(0.2)
    os.killpg(killed.pid, signal.SIGKILL)  # the driver, its pool and the fork server at once
    killed.wait()
    before = done(tmp_path / "resumed.duckdb")
    assert 3 <= len(before) < SAMPLES

    resumed = run(spec, tmp_path / "resumed.duckdb")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"resuming: {len(before)} of {SAMPLES} units already done" in err
    after = done(tmp_path / "resumed.duckdb")
    assert len(after) == SAMPLES
    with duckdb.connect(str(tmp_path / "resumed.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT unit_id) FROM units WHERE status = 'done'").fetchone() == (SAMPLES, SAMPLES)
    assert all(after[unit] == before[unit] for unit in before)  # finished trials are not run again
    rates = [config["learning_rate"] for _, config in after.values()]
    assert len(set(rates)) == SAMPLES  # no configuration proposed twice

    # The resumed study proposes exactly what an uninterrupted one does (same seed, same history).
    whole = run(spec, tmp_path / "whole.duckdb")
    _, err = whole.communicate(timeout=300)
    assert whole.returncode == 0, err
    uninterrupted = done(tmp_path / "whole.duckdb")
    assert {unit: config for unit, (_, config) in uninterrupted.items()} == {unit: config for unit, (_, config) in after.items()}
