"""`benchrun check` and `benchrun plan`, through click and as a real process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from benchrun.cli import cli

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
benchmark "b" {
  tasks "../tasks/demo/*"
  models [oracle, identity]
  strategies [zero_shot, tuned]
  samples 2
}
tune "t" {
  datasets [sklearn("iris"), sklearn("diabetes")]
  algorithms [linear_regression, svm]
  grid {
    batch_size = 2 ** (4 .. 6)
    alpha = [1e-4, 1e-3]
  }
}
"""
BAD = 'benchmark "b" {\n  tasks "../tasks/demo/*"\n  models [oracle]\n  sampels 5\n  temperature "hot"\n}\n'


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_check_ok(ws):
    path = ws.write(GOOD, "good.bench")
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    # 3 tasks x 2 models x 2 strategies x 2 samples; 6 grid points x 2 matching pairs
    assert result.stdout == f"ok {path} (2 blocks, {3 * 2 * 2 * 2 + 6 * 2} units)\n"


def test_check_reports_every_error_and_fails(ws):
    good, bad = ws.write(GOOD, "good.bench"), ws.write(BAD, "bad.bench")
    result = run("check", str(good), str(bad))
    assert result.exit_code == 1
    assert result.stdout == f"ok {good} (2 blocks, 36 units)\n"
    assert f"{bad}:4:3: error: unknown key 'sampels' in benchmark block (did you mean 'samples'?)" in result.stderr
    assert f"{bad}:5:15: error: temperature must be a number, got the string \"hot\"" in result.stderr
    assert "    5 |   temperature \"hot\"\n      |               ^\n" in result.stderr
    assert result.stderr.endswith(f"{bad}: 2 errors\n1 of 2 specs have errors\n")
    assert "Traceback" not in result.output


def test_check_missing_file_and_bad_task_folder(ws, tmp_path):
    result = run("check", str(tmp_path / "nope.bench"))
    assert result.exit_code == 1 and "nope.bench:1:1: error: no such file" in result.stderr
    # A folder with a task.toml that the task loader rejects is reported, not a traceback.
    broken = tmp_path / "tasks" / "s" / "bad"
    broken.mkdir(parents=True)
    (broken / "task.toml").write_text('kind = "nonsense"\n')
    (tmp_path / "specs").mkdir()
    spec = tmp_path / "specs" / "x.bench"
    spec.write_text('benchmark "b" {\n  tasks "../tasks/s/*"\n  models [oracle]\n}\n')
    result = run("check", str(spec))
    assert result.exit_code == 1 and "error: task " in result.stderr and "Traceback" not in result.output


def test_plan_tables(ws):
    path = ws.write(GOOD, "good.bench")
    result = run("plan", str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{path}: 36 work units (24 codegen, 12 trial)" in out
    assert 'benchmark "b": 24 units = 3 tasks x 2 models x 2 strategies x 1 instruction levels x 2 samples' in out
    assert 'tune "t": 12 trials = 6 grid points x 2 (data set, algorithm) pairs' in out
    assert "3 values: 16, 32, 64" in out


def test_plan_json_lists_every_unit(ws):
    path = ws.write(GOOD, "good.bench")
    result = run("plan", str(path), "--json")
    data = json.loads(result.stdout)
    assert data["summary"]["units"] == len(data["units"]) == 36
    trials = [u for u in data["units"] if u["kind"] == "trial"]
    assert {(u["params"]["dataset"]["name"], u["params"]["algorithm"]) for u in trials} == {
        ("iris", "svm"), ("diabetes", "linear_regression")}
    assert len({u["id"] for u in data["units"]}) == 36


def test_plan_of_a_broken_spec(ws):
    result = run("plan", str(ws.write(BAD, "bad.bench")))
    assert result.exit_code == 1 and "unknown key 'sampels'" in result.stderr and result.stdout == ""


def test_help_has_examples():
    for command in ("check", "plan"):
        result = run(command, "--help")
        assert result.exit_code == 0 and f"benchrun {command} specs/" in result.output


def test_check_as_a_real_process(ws):
    good, bad = ws.write(GOOD, "good.bench"), ws.write(BAD, "bad.bench")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run([sys.executable, "-m", "benchrun.cli", "check", str(good)], capture_output=True, text=True, env=env)
    assert (ok.returncode, ok.stdout) == (0, f"ok {good} (2 blocks, 36 units)\n")
    failed = subprocess.run([sys.executable, "-m", "benchrun.cli", "check", str(bad)], capture_output=True, text=True, env=env)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.startswith(f"{bad}:4:3: error: unknown key 'sampels'")
