"""The results file: schema versions and migration, the batched writer, locks, views."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import duckdb
import pytest

from benchrun.engine.units import Unit
from benchrun.reports import pass_at_k
from benchrun.storage import SCHEMA_VERSION, BatchWriter, RunLock, RunLockedError, Store, StoreBusyError, StoreError, connect
from benchrun.storage.store import bring_up_to_date, migrate, now, schema_version, up_to_date, views_mark


def rows(path, sql, params=None):
    with connect(path, read_only=True) as con:
        return con.execute(sql, params).fetchall()


def unit_row(run_id, unit_id, kind="codegen", status="done", params=None, summary=None, block="b"):
    return {
        "run_id": run_id, "unit_id": unit_id, "kind": kind, "block": block,
        "params": json.dumps(params or {}), "status": status, "attempts": 1, "error": None,
        "finished": now(), "summary": json.dumps(summary) if summary else None,
    }


def test_a_new_file_gets_the_current_schema(tmp_path):
    db = tmp_path / "new.duckdb"
    Store(db)
    with connect(db, read_only=True) as con:
        assert schema_version(con) == SCHEMA_VERSION
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"runs", "units", "samples", "metrics", "completions", "pass_at_k", "trial_summary"} <= tables


def test_an_older_file_is_migrated_and_keeps_its_rows(tmp_path):
    db = str(tmp_path / "old.duckdb")
    con = duckdb.connect(db)
    assert migrate(con, upto=1, views=False) == 1  # the file an older benchrun wrote
    con.execute("INSERT INTO runs (run_id, started, status) VALUES ('r-old', now(), 'finished')")
    con.execute(
        "INSERT INTO units VALUES ('r-old', 'c-1', 'codegen', 'b', '{}', 'done', 1, NULL, now(), NULL)"
    )
    con.execute(
        "INSERT INTO samples (run_id, unit_id, task, model, strategy, passed, created) "
        "VALUES ('r-old', 'c-1', 't', 'm', 's', true, now())"
    )
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "completions" not in tables
    con.close()

    Store(db)
    with connect(db, read_only=True) as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM completions").fetchone() == (0,)
        assert con.execute("SELECT run_id FROM runs").fetchall() == [("r-old",)]
        assert con.execute("SELECT task, passed FROM samples").fetchall() == [("t", True)]
        # A run of an older benchrun recorded no plan: the views answer for none until the
        # spec runs again (which re-runs nothing done).
        assert con.execute("SELECT count(*) FROM planned_units").fetchone() == (0,)
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def old_file(db):
    con = duckdb.connect(str(db))
    migrate(con, upto=1, views=False)  # the file an older benchrun wrote
    con.close()


def test_a_reader_writes_only_to_a_file_that_needs_it(tmp_path):
    db = tmp_path / "cur.duckdb"
    Store(db)
    before = os.stat(db).st_mtime_ns, db.read_bytes()
    bring_up_to_date(db)  # current: looked at read-only, not written
    assert (os.stat(db).st_mtime_ns, db.read_bytes()) == before
    with connect(db) as con:  # views an older benchrun of the same schema version made
        con.execute("COMMENT ON TABLE schema_version IS 'views 0000000000000000'")
    bring_up_to_date(db)
    with connect(db, read_only=True) as con:
        assert up_to_date(con)
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'schema_version'").fetchone() == (views_mark(),)


def test_a_reader_leaves_a_file_a_run_holds_to_that_run(tmp_path):
    db = tmp_path / "held.duckdb"
    old_file(db)
    with RunLock(db):
        assert RunLock.held(db)
        bring_up_to_date(db)
        assert rows(db, "SELECT max(version) FROM schema_version") == [(1,)]
    assert not RunLock.held(db)
    bring_up_to_date(db)
    assert rows(db, "SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]


def test_the_lock_text_a_killed_run_left_does_not_count_as_a_run(tmp_path):
    db = tmp_path / "killed.duckdb"
    old_file(db)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / "killed.duckdb.lock").write_text(f"pid {gone.pid} on {socket.gethostname()}\n")
    assert not RunLock.held(db)
    (tmp_path / "killed.duckdb.lock").write_text(f"pid {os.getpid()} on another-host\n")
    assert RunLock.held(db)  # cannot be checked from here: counts as running


def test_a_file_from_a_newer_benchrun_is_refused(tmp_path):
    db = tmp_path / "newer.duckdb"
    Store(db)
    with connect(db) as con:
        con.execute("INSERT INTO schema_version VALUES (99, now())")
    with pytest.raises(StoreError, match="newer than this benchrun"):
        Store(db)


def test_not_a_duckdb_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("hello, I am not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(bad)


def test_writer_buffers_then_writes_one_batch(tmp_path):
    db = tmp_path / "w.duckdb"
    store = Store(db)
    writer = BatchWriter(store, "r-1", interval=3600)  # flush only when asked
    for step in range(1000):
        writer.log_metrics("u-1", [(step, "loss", 1.0 / (step + 1)), (step, "memory_mb", 100.0)])
    writer.record_unit(unit_row("r-1", "u-1"), [{"task": "t", "passed": True, "mystery": [1, 2]}])
    assert rows(db, "SELECT count(*) FROM metrics") == [(0,)]  # nothing written yet
    assert writer.flush() == 2000 + 1 + 1
    assert rows(db, "SELECT count(*), count(DISTINCT step), min(step), max(step) FROM metrics WHERE name = 'loss'") == [
        (1000, 1000, 0, 999)
    ]
    assert rows(db, "SELECT run_id, unit_id, block, extra FROM samples") == [("r-1", "u-1", None, '{"mystery": [1, 2]}')]
    writer.close()


def test_values_that_are_not_numbers_become_null(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    writer = BatchWriter(store, "r-1", interval=3600)
    writer.log_metrics("u-1", [(0, "a", "not a number"), (1, "a", 2), (2, "a", None)])
    writer.close()
    assert rows(store.path, "SELECT step, value FROM metrics ORDER BY step") == [(0, None), (1, 2.0), (2, None)]


def wait_for_rows(path, sql, seconds=10):
    deadline = time.monotonic() + seconds
    while rows(path, sql) == [(0,)]:
        assert time.monotonic() < deadline, "the writer never flushed"
        time.sleep(0.02)
    return time.monotonic()


def test_background_thread_flushes_outcomes_soon_and_metrics_later(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    writer = BatchWriter(store, "r-1", interval=0.05, metrics_interval=1.0)
    started = time.monotonic()
    writer.log_metrics("u-1", [(0, "loss", 1.0)])
    metrics_at = wait_for_rows(store.path, "SELECT count(*) FROM metrics")
    assert metrics_at - started >= 0.9  # a running unit's metrics wait for metrics_interval
    started = time.monotonic()
    writer.record_unit(unit_row("r-1", "u-1"), [])
    assert wait_for_rows(store.path, "SELECT count(*) FROM units") - started < 0.9  # outcomes go out at once
    writer.close()


HOLD = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
"""


def hold(db, mode, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_locked_file_keeps_the_batch_for_the_next_flush(tmp_path):
    db = tmp_path / "w.duckdb"
    store = Store(db)
    writer = BatchWriter(store, "r-1", interval=3600)
    writer.log_metrics("u-1", [(i, "loss", float(i)) for i in range(10)])
    reader = hold(db, "ro", 30)  # e.g. a long `benchrun sql`
    try:
        with pytest.raises(StoreBusyError, match=f"process {reader.pid}"):
            writer.flush(timeout=0.3)
        writer.log_metrics("u-1", [(10, "loss", 10.0)])
    finally:
        reader.kill()
        reader.wait()
    writer.close()
    assert rows(db, "SELECT count(*), count(DISTINCT step) FROM metrics") == [(11, 11)]


def test_readers_wait_for_a_short_write(tmp_path):
    db = tmp_path / "r.duckdb"
    Store(db)
    writer = hold(db, "rw", 0.5)
    try:
        started = time.monotonic()
        assert rows(db, "SELECT count(*) FROM runs") == [(0,)]
        assert time.monotonic() - started >= 0.1  # it really had to wait
    finally:
        writer.wait()


def test_readers_give_up_with_the_holder_named(tmp_path):
    db = tmp_path / "r.duckdb"
    Store(db)
    writer = hold(db, "rw", 30)
    try:
        with pytest.raises(StoreBusyError, match=f"process {writer.pid}"):
            with connect(db, read_only=True, timeout=0.3):
                pass
    finally:
        writer.kill()
        writer.wait()


def test_a_missing_file_is_not_created_by_readers(tmp_path):
    with pytest.raises(StoreError, match="no results file"):
        with connect(tmp_path / "absent.duckdb", read_only=True):
            pass
    assert not (tmp_path / "absent.duckdb").exists()


def test_run_lock_is_exclusive_and_names_the_holder(tmp_path):
    db = tmp_path / "l.duckdb"
    with RunLock(db):
        with pytest.raises(RunLockedError, match=f"pid {os.getpid()}"):
            RunLock(db).acquire()
    with RunLock(db):  # released: free again
        pass


def test_completion_cache_round_trip(tmp_path):
    store = Store(tmp_path / "c.duckdb")
    store.put_completion({"key": "k1", "provider": "oracle", "model": "m", "text": "print(1)", "tokens_in": 3})
    assert store.get_completion("k1")["text"] == "print(1)"
    writer = BatchWriter(store, "r-1", interval=3600)
    store.put_completion({"key": "k2", "text": "pending"})
    assert store.get_completion("k2")["text"] == "pending"  # visible before the flush
    store.put_completion({"key": "k1", "text": "replaced"})
    writer.close()
    assert store.get_completion("k1")["text"] == "replaced"
    assert store.get_completion("missing") is None
    assert rows(store.path, "SELECT count(*) FROM completions") == [(2,)]


def plan_unit(uid, kind="codegen", block="b", **labels):
    """A planned unit as the run loop records it (id, kind, block, labels, params)."""
    return Unit(id=uid, kind=kind, block=block, params={}, labels=labels)


def open_run(store, run_id, units):
    store.open_run(run_id, units, fresh=False, spec_path="s.bench", spec_hash="h", version="test")


def test_pass_at_k_views_match_the_estimator_for_every_scored_k(tmp_path):
    store = Store(tmp_path / "p.duckdb")
    # (task, functionality, model, n, c)
    cells = [("t1", "tracking", "m1", 10, 3), ("t2", "tracking", "m1", 10, 0), ("t3", "hpo", "m1", 4, 4),
             ("t1", "tracking", "m2", 4, 1)]
    ks = [1, 2, 4]
    units = [plan_unit(f"{task}-{model}-{i}", task=task, functionality=functionality, model=model,
                       strategy="zero_shot", sample=i, scores=ks)
             for task, functionality, model, n, _ in cells for i in range(n)]
    open_run(store, "r-1", units)
    writer = BatchWriter(store, "r-1", interval=3600)
    for task, functionality, model, n, c in cells:
        for i in range(n):
            writer.record_unit(unit_row("r-1", f"{task}-{model}-{i}"), [
                {"task": task, "functionality": functionality, "model": model, "strategy": "zero_shot",
                 "sample": i, "passed": i < c}])
    writer.record_unit(unit_row("r-1", "t2-m1-0", status="failed"), [])  # an earlier failed try
    writer.close()
    open_run(store, "r-2", units)  # a --fresh run redoes one unit: the newer result counts
    writer = BatchWriter(store, "r-2", interval=3600)
    writer.record_unit(unit_row("r-2", "t2-m1-0"), [
        {"task": "t2", "functionality": "tracking", "model": "m1", "strategy": "zero_shot", "sample": 0, "passed": True}])
    writer.close()
    got = {r[:3]: r[3:] for r in rows(store.path, "SELECT task, model, k, planned, n, c, complete, pass_at FROM pass_at_k")}
    expected_counts = {("t1", "m1"): (10, 3), ("t2", "m1"): (10, 1), ("t3", "m1"): (4, 4), ("t1", "m2"): (4, 1)}
    assert set(got) == {(*key, k) for key in expected_counts for k in ks}  # exactly the scored k
    for key, (n, c) in expected_counts.items():
        for k in ks:
            assert got[(*key, k)][:4] == (n, n, c, True)
            assert got[(*key, k)][4] == pytest.approx(pass_at_k(n, c, k), abs=1e-12)
    by_func = {r[:3]: r[3:] for r in rows(store.path, "SELECT functionality, model, k, tasks, pass_at FROM pass_at_k_by_functionality")}
    assert by_func[("tracking", "m1", 1)] == (2, pytest.approx((pass_at_k(10, 3, 1) + pass_at_k(10, 1, 1)) / 2))
    assert by_func[("hpo", "m1", 4)] == (1, 1.0)


def test_a_cell_with_units_not_done_is_incomplete_and_has_no_pass_at_k(tmp_path):
    store = Store(tmp_path / "p.duckdb")
    units = [plan_unit(f"u{i}", task="t", functionality="f", model="m", strategy="s", sample=i, scores=[1])
             for i in range(3)]
    open_run(store, "r-1", units)
    writer = BatchWriter(store, "r-1", interval=3600)
    writer.record_unit(unit_row("r-1", "u0"), [{"task": "t", "model": "m", "strategy": "s", "passed": True}])
    writer.record_unit(unit_row("r-1", "u1", status="failed"), [])  # e.g. the sandbox engine was lost
    writer.close()
    assert rows(store.path, "SELECT planned, n, c, complete, pass_at FROM pass_at_k") == [(3, 1, 1, False, None)]
    assert rows(store.path, "SELECT tasks, tasks_complete, complete, pass_at FROM pass_at_k_by_functionality") == [
        (1, 0, False, None)]


def test_views_answer_for_one_plan_the_newest_run_s_unless_another_is_chosen(tmp_path):
    store = Store(tmp_path / "p.duckdb")
    old = [plan_unit(f"old{i}", task="t", functionality="f", model="m", strategy="s", sample=i, scores=[1])
           for i in range(2)]
    new = [plan_unit(f"new{i}", task="t", functionality="f", model="m", strategy="s", sample=i, scores=[1])
           for i in range(2)]
    for run_id, units, passed in (("r-1", old, True), ("r-2", new, False)):
        open_run(store, run_id, units)
        writer = BatchWriter(store, run_id, interval=3600)
        for unit in units:
            writer.record_unit(unit_row(run_id, unit.id), [{"task": "t", "model": "m", "strategy": "s", "passed": passed}])
        writer.close()
    assert rows(store.path, "SELECT n, c FROM pass_at_k") == [(2, 0)]  # the newest plan only, not 4 samples
    assert rows(store.path, "SET VARIABLE plan_run = 'r-1'; SELECT n, c FROM pass_at_k") == [(2, 2)]
    assert rows(store.path, "SELECT count(*) FROM samples") == [(4,)]  # superseded samples stay queryable


def test_trial_summary(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    open_run(store, "r-1", [plan_unit("trial-a", "trial"), plan_unit("trial-b", "trial")])
    writer = BatchWriter(store, "r-1", interval=3600)
    params = {"metric": "val_loss", "mode": "min", "algorithm": "svm", "dataset": {"name": "diabetes"},
              "config": {"batch_size": 64, "learning_rate": 0.01}}
    for step in range(1, 101):
        writer.log_metrics("trial-a", [(step, "train_loss", 1.0 / step), (step, "step_time_ms", 2.0 if step % 2 else 4.0)])
        if step % 10 == 0:
            writer.log_metrics("trial-a", [(step, "val_loss", abs(50 - step) / 10), (step, "memory_mb", 100.0 + step),
                                           (step, "cpu_pct", 50.0)])
    writer.record_unit(unit_row("r-1", "trial-a", "trial", params=params,
                                summary={"steps": 100, "stop_reason": "memory_mb > 150", "stopped_at_step": 100}), [])
    writer.log_metrics("trial-b", [(1, "val_loss", 9.0)])
    writer.record_unit(unit_row("r-1", "trial-b", "trial", params=params, summary={"steps": 1, "stop_reason": "completed"}), [])
    writer.close()
    got = rows(store.path, "SELECT unit_id, dataset, algorithm, batch_size, learning_rate, best_value, steps_run, "
                           "stopped_early, stop_reason, stopped_at_step, peak_memory_mb, mean_step_time_ms, mean_cpu_pct "
                           "FROM trial_summary ORDER BY unit_id")
    assert got[0] == ("trial-a", "diabetes", "svm", 64.0, 0.01, 0.0, 100, True, "memory_mb > 150", 100, 200.0, 3.0, 50.0)
    assert got[1][0] == "trial-b" and got[1][5] == 9.0 and got[1][7] is False
