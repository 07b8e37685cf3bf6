"""A task's `after` commands (task.toml): run as the sample after the program, in its dir,
once every process of the program is gone; the sandbox records each run (outside the
program's reach) and hands the records to the judge, which reads them and runs nothing of
the program. Both backends; the Docker one also shows the command runs as the sample's
user, never the judge's."""
from __future__ import annotations

import attrs
import pytest

from benchrun.codegen.tasks import benchcheck_modules
from benchrun.sandboxes import TIMEOUT, LocalSandbox

# Leaves state for its `after` command, and a daemon that would change it meanwhile.
PROGRAM = """
import os, sys, time
if sys.argv[1:] == ["again"]:
    state = open("state.txt").read()
    open("state.txt", "a").write("+again")
    print("again", state, "uid", os.getuid())
    raise SystemExit(0)
open("state.txt", "w").write("full")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.closerange(0, 3)
        time.sleep(1.5)
        open("state.txt", "a").write("+daemon")
    os._exit(0)
print("program")
"""
AGAIN, SECOND = "python3 main.py again", "echo second >&2; exit 4"

CHECK = """
import os
from benchcheck import after_run, fail, program_output
again, second = after_run(AGAIN), after_run(SECOND)
assert program_output() == "program\\n", program_output()
assert again["rc"] == 0 and again["stdout"].startswith("again full uid "), again
assert second["rc"] == 4 and second["stderr"] == "second\\n", second
state = open("state.txt").read()
assert state == "full+again", state  # the files after every command; the daemon was gone
print("after uid", again["stdout"].split()[-1], "judge uid", os.getuid())
after_run("python3 main.py elsewhere")  # not among them: fails the check
""".replace("AGAIN", repr(AGAIN)).replace("SECOND", repr(SECOND))


def _request() -> dict:
    return {"check": CHECK, "modules": benchcheck_modules(), "original": {},
            "context": {"entry": "main.py", "original": None, "after": [AGAIN, SECOND]}}


@pytest.fixture(params=[pytest.param("docker", marks=pytest.mark.docker), "local"])
def sandbox(request):
    if request.param == "local":
        yield LocalSandbox(use_bwrap=False)
        return
    yield request.getfixturevalue("single")


def test_after_commands_run_as_the_sample_and_the_judge_reads_their_runs(sandbox, limits):
    judgement = sandbox.judge({"main.py": PROGRAM}, ["python3", "main.py"], _request(), limits,
                              after=[["sh", "-c", AGAIN], ["sh", "-c", SECOND]])
    assert [run.exit_code for run in judgement.after] == [0, 4]
    assert judgement.after[0].stdout.startswith("again full uid ")
    check = judgement.check
    assert not judgement.passed and "is not among the task's after commands" in check.stderr, check.stderr
    after_uid, judge_uid = check.stdout.split()[2], check.stdout.split()[5]
    if not isinstance(sandbox, LocalSandbox):
        assert (after_uid, judge_uid) == ("65534", "65532")  # the sample's user, not the judge's


def test_an_after_command_over_a_limit_fails_the_sample_unjudged(sandbox, limits, request):
    judgement = sandbox.judge({"main.py": "print('program')\n"}, ["python3", "main.py"], _request(),
                              attrs.evolve(limits, timeout_s=2), after=[["sh", "-c", "sleep 30"]])
    assert not judgement.passed
    assert [run.category for run in judgement.after] == [TIMEOUT]
    assert judgement.check.category == TIMEOUT and "sleep 30" in judgement.check.detail
    assert "CHECK" not in judgement.check.stderr  # the judge never ran
    if not isinstance(sandbox, LocalSandbox):
        request.getfixturevalue("assert_clean")(sandbox)
