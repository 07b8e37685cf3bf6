"""benchcheck.py, the helper library every check.py imports, exercised the way a sample
uses it: files written by run_files, the real command run in a temp dir."""
from __future__ import annotations

import pytest

from benchrun.codegen import benchcheck
from benchrun.codegen.tasks import RUN_ENV, load_task, run_command, run_files
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
