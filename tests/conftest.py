"""Suite-wide rules. In CI (CI=true) a skipped test is a failure: a skip there means a
part of benchrun went untested, not that the machine lacks it. Only tests marked `gpu`
may skip in CI, since CI has no GPU."""
from __future__ import annotations

import os

import pytest


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
