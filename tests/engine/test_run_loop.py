"""The run loop in process, on real DuckDB files, with a small real workload."""
from __future__ import annotations

import contextlib
import threading

import pytest
from runloop_driver import toy_plan
from runloop_workload import KIND, ToyBlock, ToyWorkload

from benchrun.engine import Plan, RunError, Unit, UnitOutcome, run_plan
from benchrun.grammar.spec import Spec
from benchrun.storage import RunLock, RunLockedError, connect

WORKLOADS = {KIND: ToyWorkload}


def q(db, sql):
    with connect(db, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_runs_every_unit_and_records_rows(tmp_path):
    db = tmp_path / "r.duckdb"
    plan = toy_plan(6, steps=4)
    summary = run_plan(plan, db, workloads=WORKLOADS, flush_interval=0.05)
    assert (summary.status, summary.done, summary.failed, summary.not_run) == ("finished", 6, 0, 0)
    assert q(db, "SELECT count(*), count(DISTINCT unit_id) FROM units WHERE status = 'done'") == [(6, 6)]
    assert q(db, "SELECT count(*) FROM samples") == [(6,)]
    assert q(db, "SELECT count(*) FROM metrics") == [(6 * 4 * 2,)]
    assert q(db, "SELECT status, units_planned, units_skipped, finished IS NOT NULL FROM runs") == [("finished", 6, 0, True)]
    params = q(db, "SELECT params ->> 'steps' FROM units LIMIT 1")
    assert params == [("4",)]


def test_second_run_resumes_and_fresh_reruns(tmp_path):
    db = tmp_path / "r.duckdb"
    run_plan(toy_plan(4), db, workloads=WORKLOADS)
    again = run_plan(toy_plan(6), db, workloads=WORKLOADS)  # two more units
    assert (again.skipped, again.done) == (4, 2)
    assert q(db, "SELECT count(*) FROM samples") == [(6,)]
    fresh = run_plan(toy_plan(6), db, workloads=WORKLOADS, fresh=True)
    assert (fresh.skipped, fresh.done) == (0, 6)
    # The history stays; the views count each unit once, from the newest run.
    assert q(db, "SELECT count(*) FROM samples") == [(12,)]
    assert q(db, "SELECT count(*) FROM current_samples") == [(6,)]
    assert q(db, "SELECT DISTINCT run_id FROM current_samples") == [(fresh.run_id,)]
    assert q(db, "SELECT max(attempts) FROM units") == [(2,)]


def test_failed_units_are_recorded_and_retried(tmp_path):
    db = tmp_path / "r.duckdb"
    plan = toy_plan(5, fail={1, 3})
    summary = run_plan(plan, db, workloads=WORKLOADS)
    assert (summary.status, summary.done, summary.failed) == ("incomplete", 3, 2)
    errors = q(db, "SELECT error FROM units WHERE status = 'failed'")
    assert len(errors) == 2 and all("RuntimeError: unit" in e[0] for e in errors)
    retry = run_plan(plan, db, workloads=WORKLOADS)
    assert (retry.skipped, retry.failed) == (3, 2)
    assert q(db, "SELECT DISTINCT attempts FROM units WHERE run_id = ?".replace("?", f"'{retry.run_id}'")) == [(2,)]


def test_fail_fast_stops_and_marks_the_run_failed(tmp_path):
    db = tmp_path / "r.duckdb"
    plan = toy_plan(30, steps=3, sleep=0.01, fail={0})
    summary = run_plan(plan, db, workloads=WORKLOADS, fail_fast=True, concurrency=1)
    assert summary.status == "failed" and "set to fail" in summary.error
    assert summary.not_run > 0
    assert q(db, "SELECT status FROM runs") == [("failed",)]


def test_stop_event_interrupts_and_the_next_run_resumes(tmp_path):
    db = tmp_path / "r.duckdb"
    plan = toy_plan(40, steps=2, sleep=0.02)

    class StopAfterFive(ToyWorkload):
        def run_block(self, block, units, ctx, report):
            seen = []

            def counting(outcome):
                report(outcome)
                seen.append(outcome.unit_id)
                if len(seen) == 5:
                    ctx.stop.set()  # what the first Ctrl-C does

            super().run_block(block, units, ctx, counting)

    first = run_plan(plan, db, workloads={KIND: StopAfterFive}, concurrency=1)
    assert first.status == "interrupted"
    assert first.done == 5 and first.not_run == 35
    second = run_plan(plan, db, workloads=WORKLOADS)
    assert second.status == "finished" and second.skipped == first.done
    assert q(db, "SELECT count(DISTINCT unit_id), count(*) FROM samples") == [(40, 40)]


def test_a_workload_that_raises_fails_the_run_but_keeps_reported_units(tmp_path):
    db = tmp_path / "r.duckdb"

    class Crashes:
        def run_block(self, block, units, ctx, report):
            report(UnitOutcome(units[0].id, "done", samples=[{"task": "t", "passed": True}]))
            raise ZeroDivisionError("bug in a workload")

    summary = run_plan(toy_plan(3), db, workloads={KIND: Crashes})
    assert summary.status == "failed" and "ZeroDivisionError" in summary.error
    assert q(db, "SELECT count(*) FROM units") == [(1,)]
    assert "bug in a workload" in q(db, "SELECT error FROM runs")[0][0]


def test_bad_reports_are_caught(tmp_path):
    db = tmp_path / "r.duckdb"

    class Sloppy:
        def run_block(self, block, units, ctx, report):
            report(UnitOutcome(units[0].id, "done", samples=[{"task": "t"}]))  # no `passed`
            report(UnitOutcome(units[0].id, "done"))  # twice
            report(UnitOutcome("no-such-unit", "done"))
            # units[1] is never reported

    summary = run_plan(toy_plan(2), db, workloads={KIND: Sloppy})
    assert summary.status == "failed" and "without reporting 1 units" in summary.error
    assert q(db, "SELECT status, error LIKE '%bad sample%' FROM units") == [("failed", True)]


def test_unknown_kind_and_unloadable_workload_are_clear_errors(tmp_path):
    db = tmp_path / "r.duckdb"
    with pytest.raises(RunError, match="no workload runs units of kind toy"):
        run_plan(toy_plan(1), db, workloads={})
    with pytest.raises(RunError, match="cannot load the 'toy' workload nowhere.module:Thing"):
        run_plan(toy_plan(1), db, workloads={KIND: "nowhere.module:Thing"})
    assert q(db, "SELECT count(*) FROM runs") == [(0,)]  # no run was started


def test_a_held_run_lock_refuses_the_run(tmp_path):
    db = tmp_path / "r.duckdb"
    with RunLock(db):
        with pytest.raises(RunLockedError, match="another benchrun run is writing"):
            run_plan(toy_plan(1), db, workloads=WORKLOADS)


def test_runs_off_the_main_thread(tmp_path):
    """Signals can only be caught on the main thread; elsewhere the loop still runs."""
    db = tmp_path / "r.duckdb"
    result = {}
    thread = threading.Thread(target=lambda: result.update(s=run_plan(toy_plan(3), db, workloads=WORKLOADS)))
    thread.start()
    thread.join(60)
    assert result["s"].status == "finished"


def test_each_block_and_unit_kind_is_one_call_with_its_block_in_plan_order(tmp_path):
    """The loop groups units by block (plan order) and, within a block, by unit kind in the
    workloads' order; a workload gets the block's spec with them. What a workload shares
    between blocks (`ctx.shared`) is made once and closed when the run ends; units of a
    block the spec lacks fail with a message."""
    first, second = ToyBlock("first"), ToyBlock("second")
    spec = Spec(path="two.bench", source="", content_hash="two", blocks=(first, second))
    units = [Unit.make(kind, block, {"index": i, "steps": 1}) for block, kind, i in [
        ("second", "late", 0), ("first", KIND, 1), ("second", KIND, 2), ("first", "late", 3), ("first", KIND, 4),
        ("gone", KIND, 5)]]
    calls, lifetime = [], []

    @contextlib.contextmanager
    def server():
        lifetime.append("open")
        yield "server"
        lifetime.append("closed")

    class Recording(ToyWorkload):
        def __init__(self, kind):
            self.kind = kind

        def run_block(self, block, units, ctx, report):
            calls.append((block, self.kind, [u.params["index"] for u in units], ctx.shared("server", server)))
            assert lifetime == ["open"]
            super().run_block(block, units, ctx, report)

    summary = run_plan(Plan(spec=spec, units=tuple(units)), tmp_path / "r.duckdb",
                       workloads={KIND: Recording(KIND), "late": Recording("late")})
    assert calls == [(second, KIND, [2], "server"), (second, "late", [0], "server"),
                     (first, KIND, [1, 4], "server"), (first, "late", [3], "server")]
    assert lifetime == ["open", "closed"]
    assert (summary.done, summary.failed) == (5, 1)
    assert q(tmp_path / "r.duckdb", "SELECT block, error FROM units WHERE status = 'failed'") == [
        ("gone", "the spec has no block named 'gone'")]


def test_an_outcome_with_an_unknown_status_is_refused_where_it_is_made():
    with pytest.raises(ValueError, match="'status' must be in"):
        UnitOutcome("u", "skipped")


def test_a_workload_without_run_block_is_a_clear_error(tmp_path):
    class Old:
        def run(self, units, ctx, report):
            pass

    with pytest.raises(RunError, match="has no run_block"):
        run_plan(toy_plan(1), tmp_path / "r.duckdb", workloads={KIND: Old})
