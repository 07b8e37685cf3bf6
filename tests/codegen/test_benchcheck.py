"""benchcheck.py, the helper library every check.py imports, exercised the way a sample
uses it: files written by run_files, the real command run in a temp dir."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from benchrun.codegen import benchcheck
from benchrun.codegen.tasks import RUN_ENV, load_task, run_command, run_files
from benchrun.codegen.validate_local import TASKENV
from benchrun.sandboxes.base import Limits

LIMITS = Limits(timeout_s=60)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("accuracy: 0.9533\n", 0.9533),
        ("accuracy=0.5", 0.5),
        ("epoch 1 accuracy: 0.1\nepoch 2 accuracy: 0.2\n", 0.2),  # the last one counts
        ("test Accuracy : 1e-3", 0.001),
        ("rmse: -12.5 (lower is better)", -12.5),
        ("accuracy: nan", float("nan")),
    ],
)
def test_score_parses_the_last_named_value(text, expected):
    value = benchcheck.score(text, "accuracy" if "rmse" not in text else "rmse")
    assert value == expected or (value != value and expected != expected)


def test_score_does_not_match_longer_names(capsys):
    with pytest.raises(SystemExit) as exited:
        benchcheck.score("val_accuracy: 0.9\nmy.accuracy: 0.8", "accuracy")
    assert exited.value.code == 1
    assert "CHECK FAILED: no 'accuracy: <number>' line" in capsys.readouterr().err


def _run(make_task, host_runner, program: str, check: str):
    task = load_task(make_task(check=check))
    return host_runner.run(run_files(task, program), run_command(task), LIMITS, RUN_ENV)


def test_a_sample_sees_its_program_output_and_the_original(make_task, host_runner):
    check = """\
        from benchcheck import program_rc, program_output, program_errors, original_output, entry
        assert program_rc() == 3, program_rc()
        assert program_output() == "score: 0.5\\n", program_output()
        assert "boom" in program_errors()
        assert original_output() == "score: 0.75\\n"
        assert entry() == "main.py"
        import os
        assert not [n for n in os.listdir(".") if n.startswith(".original-run")]  # scratch copy removed
        print("checked")
    """
    program = 'import sys\nprint("score: 0.5")\nprint("boom", file=sys.stderr)\nsys.exit(3)\n'
    result = _run(make_task, host_runner, program, check)
    assert result.ok, result.stderr
    assert result.stdout == "checked\n"


def test_assert_same_score_fails_with_both_values(make_task, host_runner):
    check = "from benchcheck import assert_same_score\nassert_same_score('score')\n"
    changed = _run(make_task, host_runner, 'print("score: 0.7")\n', check)
    assert changed.exit_code == 1
    assert "CHECK FAILED: score changed: the original program prints 0.75, this one 0.7" in changed.stderr
    same = _run(make_task, host_runner, 'print("score: 0.7500000001")\n', check)
    assert same.ok, same.stderr


def test_require_success_quotes_the_programs_traceback(make_task, host_runner):
    check = "from benchcheck import require_success\nrequire_success()\n"
    result = _run(make_task, host_runner, "raise ValueError('bad input shape')\n", check)
    assert result.exit_code == 1
    assert "CHECK FAILED: the program exited with code 1" in result.stderr
    assert "ValueError: bad input shape" in result.stderr


def _taskenv_has_wandb() -> bool:
    python = Path(TASKENV, "bin", "python3")
    return python.exists() and subprocess.run([python, "-c", "import wandb"], capture_output=True).returncode == 0


needs_wandb = pytest.mark.skipif(not _taskenv_has_wandb(), reason=f"no wandb in the task venv {TASKENV}")

TWO_WANDB_RUNS = """\
import wandb
for name in ("first", "second"):
    run = wandb.init(mode="offline", project="demo", name=name, group="sweep", job_type="train",
                     tags=["a", "b"], config={"lr": 0.1, "layers": [8]})
    run.config.update({"epochs": 2})
    for step in range(2):
        run.log({"loss": 1.0 / (step + 1)})
    run.summary["best"] = 0.25
    run.finish()
"""


@needs_wandb
def test_wandb_offline_runs_reads_back_what_a_real_run_logged(make_task, host_runner):
    check = """\
        from benchcheck import wandb_offline_run, wandb_offline_runs
        runs = sorted(wandb_offline_runs(), key=lambda run: run["name"])
        assert [run["name"] for run in runs] == ["first", "second"], runs
        run = runs[0]
        assert (run["project"], run["group"], run["job_type"]) == ("demo", "sweep", "train"), run
        assert sorted(run["tags"]) == ["a", "b"], run["tags"]
        assert run["config"] == {"lr": 0.1, "layers": [8], "epochs": 2}, run["config"]
        assert [row["loss"] for row in run["history"]] == [1.0, 0.5], run["history"]
        assert [row["_step"] for row in run["history"]] == [0, 1], run["history"]
        assert run["summary"]["best"] == 0.25 and run["summary"]["loss"] == 0.5, run["summary"]
        assert run["exit_code"] == 0, run["exit_code"]
        print("read", flush=True)
        wandb_offline_run()  # two runs where the check wants one
    """
    result = _run(make_task, host_runner, TWO_WANDB_RUNS, check)
    assert result.stdout == "read\n", result.stderr
    assert result.exit_code == 1
    assert "CHECK FAILED: expected one offline W&B run in ./wandb, found 2" in result.stderr


@needs_wandb
def test_wandb_offline_run_fails_on_a_log_without_a_run_record(make_task, host_runner):
    check = """\
        import os
        from benchcheck import wandb_offline_run, wandb_offline_runs
        os.makedirs("wandb/offline-run-1-x")
        with open("wandb/offline-run-1-x/run-x.wandb", "wb") as log:
            log.write(b":W&B" + bytes(3))  # the file header alone: no record yet
        [run] = wandb_offline_runs()
        assert run["exit_code"] is None and run["history"] == [], run
        wandb_offline_run()
    """
    result = _run(make_task, host_runner, "print('score: 1')\n", check)
    assert result.exit_code == 1
    assert "CHECK FAILED: the W&B run log in wandb/offline-run-1-x has no run record" in result.stderr


def test_wandb_offline_run_fails_when_there_is_no_run(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        benchcheck.wandb_offline_run(str(tmp_path / "wandb"))
    assert exited.value.code == 1
    assert f"CHECK FAILED: expected one offline W&B run in {tmp_path / 'wandb'}, found 0" in capsys.readouterr().err


@needs_wandb
def test_wandb_offline_runs_reads_past_zero_padding(make_task, host_runner):
    check = """\
        import os
        from wandb.proto import wandb_internal_pb2
        from benchcheck import wandb_offline_run
        record = wandb_internal_pb2.Record()
        record.run.run_id, record.run.project = "x", "demo"
        payload = record.SerializeToString()
        os.makedirs("wandb/offline-run-1-x")
        with open("wandb/offline-run-1-x/run-x.wandb", "wb") as log:
            log.write(b":W&B" + bytes(3) + bytes(7))  # the file header, then an empty zero chunk
            log.write(bytes(4) + len(payload).to_bytes(2, "little") + bytes([1]) + payload)
        run = wandb_offline_run()
        assert (run["id"], run["project"]) == ("x", "demo"), run
        print("read")
    """
    result = _run(make_task, host_runner, "print('score: 1')\n", check)
    assert result.stdout == "read\n", result.stderr
