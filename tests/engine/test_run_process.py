"""The run loop as a real process: killed, interrupted, raced, and read while it writes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchrun.storage import StoreError, connect

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
UNITS, STEPS = 24, 10


def start(db, *args):
    """The stand-in for `benchrun run`: 24 toy units of 10 steps, ~0.15 s each, 2 at a time."""
    cmd = [sys.executable, str(HERE / "runloop_driver.py"), str(db), str(UNITS), "--steps", str(STEPS), "--sleep", "0.015", *args]
    return subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def q(db, sql):
    with connect(db, read_only=True, timeout=30) as con:
        return con.execute(sql).fetchall()


def wait_for(db, sql, predicate, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the run ended early: {proc.communicate()}"
        try:
            value = q(db, sql)[0][0]
            if predicate(value):
                return value
        except StoreError:
            pass  # the file is not created yet
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {sql}")


def finish(proc, timeout=120):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def check_complete(db):
    """Every unit done exactly once, with all its rows and no duplicates."""
    assert q(db, "SELECT count(*), count(DISTINCT unit_id) FROM units WHERE status = 'done'") == [(UNITS, UNITS)]
    assert q(db, "SELECT count(*), count(DISTINCT unit_id) FROM samples") == [(UNITS, UNITS)]
    per_unit = q(db, "SELECT count(*), count(DISTINCT (step, name)) FROM metrics GROUP BY unit_id")
    assert len(per_unit) == UNITS and set(per_unit) == {(STEPS * 2, STEPS * 2)}


def test_resume_after_sigkill_runs_only_the_rest(tmp_path):
    db = tmp_path / "killed.duckdb"
    proc = start(db)
    wait_for(db, "SELECT count(*) FROM units", lambda n: n >= 6, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = q(db, "SELECT count(*) FROM units WHERE status = 'done'")[0][0]
    assert 6 <= done_before < UNITS
    assert q(db, "SELECT status FROM runs") == [("running",)]  # it had no chance to say otherwise

    code, out, err = finish(start(db))
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["skipped"], summary["done"]) == (done_before, UNITS - done_before)
    check_complete(db)
    assert q(db, "SELECT status FROM runs ORDER BY started") == [("interrupted",), ("finished",)]


def test_sigint_marks_the_run_interrupted_and_keeps_rows(tmp_path):
    db = tmp_path / "ctrl-c.duckdb"
    proc = start(db)
    wait_for(db, "SELECT count(*) FROM units", lambda n: n >= 4, proc)
    proc.send_signal(signal.SIGINT)
    code, out, err = finish(proc)
    assert code == 130, err
    summary = json.loads(out)
    assert summary["status"] == "interrupted" and 4 <= summary["done"] < UNITS
    assert q(db, "SELECT status, finished IS NOT NULL FROM runs") == [("interrupted", True)]
    assert q(db, "SELECT count(*) FROM units WHERE status = 'done'") == [(summary["done"],)]

    code, out, err = finish(start(db))
    assert code == 0 and json.loads(out)["skipped"] == summary["done"]
    check_complete(db)


def test_a_second_run_on_the_same_file_is_refused(tmp_path):
    db = tmp_path / "busy.duckdb"
    first = start(db)
    try:
        wait_for(db, "SELECT count(*) FROM runs", lambda n: n == 1, first)
        code, out, err = finish(start(db), timeout=60)
        assert code == 1 and out == ""
        assert f"another benchrun run is writing to {db} (pid {first.pid} " in err
        assert "Traceback" not in err
    finally:
        first.send_signal(signal.SIGINT)
        finish(first)
    assert q(db, "SELECT count(*) FROM runs") == [(1,)]  # the refused run left no trace


def test_sql_reads_while_a_run_writes(tmp_path):
    db = tmp_path / "live.duckdb"
    proc = start(db, "--sleep", "0.06")  # ~7 s: long enough for two CLI calls
    try:
        wait_for(db, "SELECT count(*) FROM units", lambda n: n >= 1, proc)
        counts = []
        for _ in range(2):
            cli = subprocess.run(
                [sys.executable, "-m", "benchrun.cli", "sql", "SELECT count(*) AS n FROM metrics", "--db", str(db), "--json"],
                env=ENV, capture_output=True, text=True, timeout=60,
            )
            assert cli.returncode == 0, cli.stderr
            counts.append(json.loads(cli.stdout)[0]["n"])
        assert proc.poll() is None, "the run should still be writing"
        assert 0 < counts[0] <= counts[1]
    finally:
        code, out, err = finish(proc)
    assert code == 0, err  # readers did not disturb the writer
    check_complete(db)
