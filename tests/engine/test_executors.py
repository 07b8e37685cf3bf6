"""The local pool workloads use."""
from __future__ import annotations

import threading
import time

from benchrun.engine import RunContext, Unit, UnitOutcome, run_pool
from benchrun.grammar.spec import Spec


def units(n):
    return [Unit.make("toy", "b", {"i": i}) for i in range(n)]


def context(concurrency=2):
    return RunContext(run_id="r", spec=Spec("t.bench", "", "", ()), concurrency=concurrency, log_metrics=lambda u, rows: None)


def test_pool_bounds_concurrency_and_reports_every_unit():
    active, peak, lock = 0, 0, threading.Lock()
    outcomes = []

    def work(unit):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        return UnitOutcome(unit.id, "done")

    todo = units(12)
    run_pool(todo, work, context(concurrency=3), outcomes.append)
    assert sorted(o.unit_id for o in outcomes) == sorted(u.id for u in todo)
    assert peak == 3


def test_pool_turns_exceptions_into_failed_units():
    outcomes = []

    def work(unit):
        if unit.params["i"] == 1:
            raise KeyError("missing thing")
        return UnitOutcome(unit.id, "done")

    run_pool(units(3), work, context(), outcomes.append)
    failed = [o for o in outcomes if o.status == "failed"]
    assert len(outcomes) == 3 and len(failed) == 1
    assert failed[0].error.startswith("KeyError: 'missing thing'")


def test_pool_tries_a_crashed_unit_again_a_bounded_number_of_times():
    outcomes, calls = [], []

    def work(unit):
        calls.append(unit.params["i"])
        if unit.params["i"] == 0 and calls.count(0) == 1:
            raise OSError("a race that does not recur")
        if unit.params["i"] == 1:
            raise KeyError("always")
        return UnitOutcome(unit.id, "done")

    run_pool(units(3), work, context(), outcomes.append, tries=3)
    status = {o.unit_id: o.status for o in outcomes}
    assert sorted(status.values()) == ["done", "done", "failed"]
    assert sorted(calls) == [0, 0, 1, 1, 1, 2]


def test_pool_starts_nothing_new_after_stop():
    ctx = context(concurrency=1)
    started = []

    def work(unit):
        started.append(unit.id)
        if len(started) == 2:
            ctx.stop.set()
        return UnitOutcome(unit.id, "done")

    outcomes = []
    run_pool(units(10), work, ctx, outcomes.append)
    assert len(started) == 2 and len(outcomes) == 2  # the running unit still reported
