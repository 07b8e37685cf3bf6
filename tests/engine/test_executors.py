"""The local pool workloads use, and the Ray connection helper."""
from __future__ import annotations

import threading
import time

import psutil
import pytest
from ray_cluster import LOOPBACK, is_loopback

from benchrun.engine import RunContext, Unit, UnitOutcome, ensure_ray, run_pool


def units(n):
    return [Unit.make("toy", "b", {"i": i}) for i in range(n)]


def context(concurrency=2):
    return RunContext(run_id="r", spec=None, concurrency=concurrency, log_metrics=lambda u, rows: None)


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


@pytest.mark.ray  # starts its own local Ray: ensure_ray's start is what it tests
def test_ensure_ray_starts_a_local_ray_once():
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        ray.shutdown()
    try:
        assert ensure_ray(num_cpus=1) is ray
        assert ray.cluster_resources().get("CPU") == 1

        @ray.remote
        def square(x):
            return x * x

        assert ray.get(square.remote(7)) == 49
        assert ensure_ray(num_cpus=2) is ray  # already connected: nothing restarts
        assert ray.cluster_resources().get("CPU") == 1
        assert_ray_on_loopback(ray)
    finally:
        ray.shutdown()


def assert_ray_on_loopback(ray) -> None:
    """The local Ray registered at 127.0.0.1, and it and this driver listen on loopback
    only and talk to loopback peers only (tests/conftest.py's switch)."""
    assert [node["NodeManagerAddress"] for node in ray.nodes()] == [LOOPBACK]
    assert ray.util.get_node_ip_address() == LOOPBACK
    me = psutil.Process()
    listening, outside = [], []
    for proc in [me, *me.children(recursive=True)]:  # the driver, the GCS, the raylet, its workers
        try:
            connections = proc.net_connections(kind="inet")
        except psutil.Error:
            continue
        for conn in connections:
            if conn.raddr:
                if not is_loopback(conn.raddr.ip):
                    outside.append(f"{proc.pid} -> {conn.raddr}")
            elif conn.status == psutil.CONN_LISTEN:
                listening.append(conn.laddr.ip)
                if not is_loopback(conn.laddr.ip):
                    outside.append(f"{proc.pid} listens on {conn.laddr}")
    assert listening and not outside, outside


def test_ensure_ray_reconnects_when_a_block_names_another_address(monkeypatch):
    """One connection per address: the same address keeps it, another one (or none after a
    cluster) shuts it down and connects again; a Ray started by someone else is kept for
    calls without an address. Ray's own init/shutdown are stand-ins here (the real ones
    are exercised against a two-node cluster in tests/tuning/test_ray_cluster.py and tests/codegen/test_ray_cluster_codegen.py)."""
    ray = pytest.importorskip("ray")
    from benchrun.engine import executors

    calls, state = [], {"up": True}
    monkeypatch.setattr(executors, "_CONNECTED", [])
    monkeypatch.setattr(ray, "is_initialized", lambda: state["up"])
    monkeypatch.setattr(ray, "shutdown", lambda: (calls.append("shutdown"), state.update(up=False)))
    monkeypatch.setattr(ray, "init", lambda **kw: (calls.append(kw.get("address") or "local"), state.update(up=True)))

    ensure_ray()  # someone's ray.init: kept
    ensure_ray("127.0.0.1:6379", runtime_env={"py_modules": ["x"]})
    ensure_ray("127.0.0.1:6379")  # the same cluster: kept
    ensure_ray("ray://127.0.0.1:10001")
    ensure_ray(num_cpus=1)  # no address after a cluster: a local Ray
    ensure_ray(num_cpus=1)
    assert calls == ["shutdown", "127.0.0.1:6379", "shutdown", "ray://127.0.0.1:10001", "shutdown", "local"]
