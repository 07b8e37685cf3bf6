"""Suite-wide rules. In CI (CI=true) a skipped test is a failure: a skip there means a
part of benchrun went untested, not that the machine lacks it. Only tests marked `gpu`
may skip in CI, since CI has no GPU."""
from __future__ import annotations

import os
import sys

import pytest

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


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a GPU (the only tests that may skip in CI)")


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
    _fail_skip(outcome.get_result(), item)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield  # a module that skips as a whole (importorskip) skips at collection
    _fail_skip(outcome.get_result())
