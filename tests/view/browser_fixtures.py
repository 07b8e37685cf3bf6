"""Headless Chromium (Debian's, driven by Playwright) and `benchrun view` served from a
subprocess, for the browser tests of tests/view."""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@contextmanager
def chromium() -> Iterator:
    """A launched headless Chromium; skips the test without chromium or playwright."""
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("no chromium on PATH (scripts/install installs Debian's)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium's own sandbox refuses root
        launched = playwright.chromium.launch(executable_path=executable, args=args)
        yield launched
        launched.close()


@contextmanager
def serve_view(db: Path) -> Iterator[str]:
    """`benchrun view` of `db` in a subprocess on a free loopback port; yields its address."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-c", "from benchrun.cli import main; main()", "view", "--db", str(db),
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail(f"benchrun view printed no address: {process.stderr.read()}")
    address = first.split()[2]
    assert address.startswith("http://127.0.0.1:") and address.endswith("/"), first
    try:
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def open_page(browser, allowed: str) -> Iterator:
    """A page whose requests may go only to addresses starting with `allowed` (others are
    aborted and fail the test), and that fails it on a script error."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    outside, errors = [], []

    def only_allowed(route):
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_allowed)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert outside == [], f"the page asked for something other than {allowed}: {outside}"
    assert errors == [], errors


def screenshot(page, tmp_path: Path, name: str) -> None:
    """Saved under tmp_path, and copied to $BENCHRUN_ARTIFACTS/view (test-artifacts/view for
    BENCHRUN_ARTIFACTS=1) when set."""
    shots = tmp_path / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    target = os.environ.get("BENCHRUN_ARTIFACTS")
    if target:
        folder = (ROOT / "test-artifacts" if target.lower() in ("1", "true", "yes") else Path(target)) / "view"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(shots / f"{name}.png", folder / f"{name}.png")


def wait_for_figures(page) -> None:
    page.wait_for_function("() => [...document.querySelectorAll('[data-figure]')].every(d => d.dataset.drawn === 'true')",
                           timeout=30000)
