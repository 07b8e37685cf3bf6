"""The suite's CI rule (tests/conftest.py): with CI=true a skip fails, unless the test
is marked gpu; elsewhere skips stay skips. Run on a probe suite in a real pytest."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = '''
import pytest

def test_skips():
    pytest.skip("no thing here")

@pytest.mark.gpu
def test_gpu_skips():
    pytest.skip("no GPU")

@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False

def test_passes():
    pass
'''


@pytest.mark.parametrize("ci, expected", [("true", "1 failed, 1 passed, 1 skipped, 1 xfailed"),
                                          ("", "1 passed, 2 skipped, 1 xfailed")])
def test_a_skip_fails_only_in_ci_and_never_for_gpu_tests(tmp_path, ci, expected):
    for name in ("conftest.py", "tiers.py"):
        shutil.copy(Path(__file__).with_name(name), tmp_path / name)
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {**os.environ, "CI": ci}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             "--rootdir", str(tmp_path), str(tmp_path)], capture_output=True, text=True, env=env,
                            cwd=tmp_path)
    assert expected in result.stdout, result.stdout
    if ci:
        assert "skipped in CI, where only tests marked gpu may skip: Skipped: no thing here" in result.stdout
