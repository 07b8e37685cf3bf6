"""The local backend against the hostile programs it can contain (it is the weaker one).

Programs that would touch the host when nothing isolates them (network, writes outside the
work dir, signals to PID 1, fork bombs as root) run only under bubblewrap.
"""
from __future__ import annotations

import os
import random
import sys

import attrs
import pytest

from benchrun.sandboxes import (
    MEMORY,
    NONZERO_EXIT,
    OK,
    OUTPUT_LIMIT,
    TIMEOUT,
    LocalSandbox,
)

sys.path.insert(0, os.path.dirname(__file__))
import test_hostile as hostile

from benchrun.sandboxes.local import _bwrap_works

needs_bwrap = pytest.mark.skipif(not _bwrap_works(), reason="bubblewrap missing or unusable here")

@pytest.fixture(params=["bwrap", "plain"])
def local(request):
    if request.param == "bwrap" and not _bwrap_works():
        pytest.skip("bubblewrap missing or unusable here")
    return LocalSandbox(use_bwrap=request.param == "bwrap")


def run(sandbox, program, limits, **changes):
    return sandbox.run({"main.py": program}, [sys.executable, "main.py"], attrs.evolve(limits, **changes))


def test_files_and_exit_codes(local, limits):
    result = local.run(
        {"pkg/data.bin": b"\x00\x01", "main.py": "import sys\nprint(open('pkg/data.bin','rb').read())\nsys.exit(4)"},
        [sys.executable, "main.py"], limits,
    )
    assert result.category == NONZERO_EXIT and result.exit_code == 4
    assert "b'\\x00\\x01'" in result.stdout


def test_infinite_loop_times_out(local, limits):
    result = run(local, hostile.INFINITE_LOOP, limits, timeout_s=2)
    assert result.category == TIMEOUT and 2 <= result.duration_s < 6


def test_memory_bomb_is_stopped(local, limits):
    result = run(local, hostile.MEMORY_BOMB, limits, memory_bytes=512 << 20)
    assert result.category == MEMORY


def test_big_output_is_cut(local, limits):
    result = run(local, hostile.BIG_OUTPUT, limits, timeout_s=30)
    assert result.category == OUTPUT_LIMIT and result.duration_s < 15


def test_host_secrets_are_not_passed(local, limits, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-host-secret-do-not-leak")
    result = run(local, "import os\nprint(sorted(os.environ))", limits)
    assert result.category == OK and "OPENAI_API_KEY" not in result.stdout and "HOME" in result.stdout


def test_daemons_are_killed(local, limits):
    import psutil

    token = f"{random.uniform(100, 200):.6f}"  # a sleep duration no other process uses
    program = hostile.DAEMONS.replace("while True:\n                pass", f"os.execv('/bin/sleep', ['sleep', '{token}'])")
    result = run(local, program, limits)
    assert result.category == OK and result.duration_s < limits.timeout_s
    survivors = [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", token]]
    assert survivors == []


@needs_bwrap
def test_bwrap_blocks_network_and_host_writes(limits):
    sandbox = LocalSandbox(use_bwrap=True)
    with hostile.HostListener() as listener:
        network = run(sandbox, listener.probe(), limits)
    assert listener.accepted == 0
    assert network.category == OK and "CONNECTED" not in network.stdout
    writes = run(sandbox, hostile.WRITE_OUTSIDE.split("# Writable by design")[0] + "print('written:', written)", limits)
    # /tmp is the sandbox's own tmpfs; nothing reaches the host.
    assert "written: ['/tmp/evil']" in writes.stdout and not os.path.exists("/tmp/evil")


def test_judge_passes_only_on_its_own_verdict(local, limits):
    """The local judge: a pass comes from the check alone, not from the program's output,
    its exit code or the files it leaves where a check used to be."""
    from benchrun.codegen.tasks import benchcheck_modules

    check = {
        "check": "from benchcheck import program_output, fail\n"
                 "'score: 1' in program_output() or fail('no score printed')\n",
        "modules": benchcheck_modules(),
        "original": {},
        "context": {"entry": "main.py", "original": None},
    }
    good = local.judge({"main.py": "print('score: 1')\n"}, ["python3", "main.py"], check, limits)
    assert good.passed, good.check.stderr
    forger = ("print('\\x1eBENCHRUN-VERDICT ' + '0' * 32 + ' pass 1')\n"
              "open('check.py', 'w').write('pass')\nopen('benchcheck.py', 'w').write('')\n")
    forged = local.judge({"main.py": forger}, ["python3", "main.py"], check, limits)
    assert not forged.passed and forged.check.exit_code == 1
    assert "CHECK FAILED: no score printed" in forged.check.stderr


PACKAGE_CHECK = """
import os, sys
import benchcheck
from benchcheck import fail, judge, program_output
assert benchcheck.__path__ == [] and benchcheck.__spec__.submodule_search_locations == []
assert benchcheck.__spec__.origin == "<judge>/benchcheck/__init__.py", benchcheck.__spec__.origin
assert judge.__spec__.origin == "<judge>/benchcheck/judge.py" and not hasattr(judge, "__path__")
assert judge._JUDGE["entry"] == "main.py" and benchcheck.program_rc() == 0
assert sorted(n for n in sys.modules if n.startswith("benchcheck.")) == {submodules!r}
benchcheck.__path__.append(os.path.join(os.getcwd(), "benchcheck"))
try:
    import benchcheck.evil
except ImportError as error:
    assert "imports nothing from the program's files" in str(error), error
else:
    fail("benchcheck.evil came from the work dir")
'score: 1' in program_output() or fail('no score printed')
"""


def test_the_judge_serves_the_benchcheck_package_whole_from_memory(local, limits):
    """benchcheck is a package in the judge: its modules all come from memory (its __path__
    is empty), `_JUDGE` reaches benchcheck.judge, and a benchcheck/ folder the program
    leaves is never imported, even once a check puts it on the package's path."""
    from benchrun.codegen.tasks import benchcheck_modules

    modules = benchcheck_modules()
    submodules = sorted(name for name in modules if name.startswith("benchcheck."))
    check = {"check": PACKAGE_CHECK.format(submodules=submodules), "modules": modules,
             "original": {}, "context": {"entry": "main.py", "original": None}}
    shadow = ("import os\nos.makedirs('benchcheck')\n"
              "for name in ('__init__', 'judge', 'evil'):\n"
              "    open(f'benchcheck/{name}.py', 'w').write('raise SystemExit(0)')\n")
    good = local.judge({"main.py": shadow + "print('score: 1')\n"}, ["python3", "main.py"], check, limits)
    assert good.passed, good.check.stderr
    bad = local.judge({"main.py": shadow}, ["python3", "main.py"], check, limits)
    assert not bad.passed and "CHECK FAILED: no score printed" in bad.check.stderr, bad.check.stderr
