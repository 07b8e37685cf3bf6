"""The one Ray connection (benchrun.raycluster): connect, node checks, one error."""
from __future__ import annotations

import psutil
import pytest
from ray_cluster import LOOPBACK, is_loopback

from benchrun import raycluster
from benchrun.raycluster import RayClusterError, check_nodes, connect, node_check_timeout, runtime_env


@pytest.fixture
def timeout_env(monkeypatch):
    """Set $BENCHRUN_RAY_NODE_CHECK_TIMEOUT for one test (it is read once per process)."""
    def set_to(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(raycluster.TIMEOUT_ENV, raising=False)
        else:
            monkeypatch.setenv(raycluster.TIMEOUT_ENV, value)
        node_check_timeout.cache_clear()

    yield set_to
    node_check_timeout.cache_clear()


def test_the_node_check_timeout_is_read_once_and_checked(timeout_env):
    timeout_env(None)
    assert node_check_timeout() == 180.0
    timeout_env("12.5")
    assert node_check_timeout() == 12.5
    for bad in ("soon", "0", "-3", "inf", "nan"):
        timeout_env(bad)
        with pytest.raises(RayClusterError, match=f"BENCHRUN_RAY_NODE_CHECK_TIMEOUT must be a positive number of "
                                                  f"seconds, got '{bad}'"):
            node_check_timeout()


def test_benchrun_is_shipped_to_a_cluster_only():
    assert runtime_env(None) is None
    assert runtime_env("127.0.0.1:6379", ship_benchrun=False) is None
    shipped = runtime_env("127.0.0.1:6379")
    assert shipped is not None and shipped["py_modules"] == [str(raycluster.Path(raycluster.__file__).parent)]


def test_connect_reconnects_when_a_block_names_another_address(monkeypatch):
    """One connection per address: the same address keeps it, another one (or none after a
    cluster) shuts it down and connects again; a Ray started by someone else is kept for
    calls without an address; every call naming a cluster checks its nodes. Ray's own
    init/shutdown and the node check are stand-ins here (the real ones are exercised
    against a two-node cluster in tests/tuning/test_ray_cluster.py and
    tests/codegen/test_ray_cluster_codegen.py, and on a local Ray below)."""
    ray = pytest.importorskip("ray")

    calls, state = [], {"up": True}
    monkeypatch.setattr(raycluster, "_CONNECTED", [])
    monkeypatch.setattr(raycluster, "check_nodes", lambda imports: calls.append(f"check {','.join(imports)}"))
    monkeypatch.setattr(ray, "is_initialized", lambda: state["up"])
    monkeypatch.setattr(ray, "shutdown", lambda: (calls.append("shutdown"), state.update(up=False)))
    monkeypatch.setattr(ray, "init", lambda **kw: (calls.append(kw.get("address") or f"local {kw['num_cpus']}"),
                                                   state.update(up=True)))

    connect()  # someone's ray.init: kept
    connect("127.0.0.1:6379", node_imports=("sklearn",))
    connect("127.0.0.1:6379")  # the same cluster: kept, checked again
    connect("ray://127.0.0.1:10001")
    connect(num_cpus=1)  # no address after a cluster: a local Ray
    connect(num_cpus=1)
    assert calls == ["shutdown", "127.0.0.1:6379", "check sklearn", "check ", "shutdown", "ray://127.0.0.1:10001",
                     "check ", "shutdown", "local 1"]


def test_a_connection_that_fails_is_the_one_error(monkeypatch):
    ray = pytest.importorskip("ray")
    monkeypatch.setattr(raycluster, "_CONNECTED", [])
    monkeypatch.setattr(ray, "is_initialized", lambda: False)

    def refuse(**options):
        raise ConnectionError("could not find any running Ray instance")

    monkeypatch.setattr(ray, "init", refuse)
    with pytest.raises(RayClusterError, match="cannot connect to the Ray cluster at '127.0.0.1:1': could not find"):
        connect("127.0.0.1:1")


@pytest.mark.ray  # starts its own local Ray: connect's start is what it tests
def test_connect_starts_a_local_ray_once():
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        ray.shutdown()
    try:
        assert connect(num_cpus=1) is ray
        assert ray.cluster_resources().get("CPU") == 1

        @ray.remote
        def square(x):
            return x * x

        assert ray.get(square.remote(7)) == 49
        assert connect(num_cpus=2) is ray  # already connected: nothing restarts
        assert ray.cluster_resources().get("CPU") == 1
        assert_ray_on_loopback(ray)
    finally:
        ray.shutdown()


def test_the_node_check_names_a_node_that_cannot_import_what_the_work_needs(ray_local):
    """The check runs a task pinned to each node: on the session's local Ray, benchrun and
    scikit-learn import there, and a module the node lacks fails the check naming it."""
    (report,) = check_nodes(("sklearn",)).values()
    import sklearn

    assert report["sklearn"] == sklearn.__version__ and report["path"].endswith("benchrun")
    with pytest.raises(RayClusterError) as caught:
        check_nodes(("benchrun_no_such_module",))
    message = str(caught.value)
    assert f"node {LOOPBACK} (" in message and "cannot run benchrun's code" in message
    assert "No module named 'benchrun_no_such_module'" in message and "keep `ship_benchrun` on" in message


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
