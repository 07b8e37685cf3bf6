"""The judge's record of the run, and the verdict: fail(), the candidate program's and the
original program's exit code and output (`_JUDGE`, set by the judge before this module
runs), the scores they printed, and the graded values a check measures (`measure`)."""
from __future__ import annotations

import math
import re
import sys
from typing import NoReturn

_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)"

# Set by the judge before this module runs: the entry's name, the candidate's and the
# original program's exit code, stdout and stderr, and a harness's key (HumanEval's recorder).
_JUDGE: dict = globals().get("_JUDGE") or {}

# What the check measured, in order: the judge reads this list once the check has ended and
# sends it out on its verdict line (judge_runner.py), the only way a value leaves the judge.
_MEASURES: list = []
MEASURE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
MEASURE_UNIT = re.compile(r"[A-Za-z%/._-]{0,16}")
MAX_MEASURES = 32


def measure(name: str, value: float, unit: str = "") -> float:
    """Report a graded value of this sample (a size ratio, a latency, an accuracy drop):
    stored with the verdict, never deciding it. `name` a short identifier (a-z, 0-9, _),
    `value` a finite number, `unit` an optional short unit ("ms", "ratio"). A name measured
    again replaces its value. Raises ValueError for a bad name, value or unit (a broken check)."""
    if not isinstance(name, str) or not MEASURE_NAME.fullmatch(name):
        raise ValueError(f"a measure's name is a short identifier (a-z, 0-9, _), not {name!r}")
    if not isinstance(unit, str) or not MEASURE_UNIT.fullmatch(unit):
        raise ValueError(f"a measure's unit is a short word such as 'ms' or 'ratio', not {unit!r}")
    if isinstance(value, bool):
        raise ValueError(f"measure {name}: a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"measure {name}: a number, not {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"measure {name}: a finite number, not {number}")
    _MEASURES[:] = [m for m in _MEASURES if m["name"] != name]
    if len(_MEASURES) >= MAX_MEASURES:
        raise ValueError(f"a check reports at most {MAX_MEASURES} measures")
    _MEASURES.append({"name": name, "value": number, "unit": unit})
    return number


def fail(message: str) -> NoReturn:
    """End the check: the sample fails, and `message` says why."""
    print(f"CHECK FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def _run(which: str) -> dict:
    run = _JUDGE.get(which)
    if run is None:
        fail(f"the judge gave no record of the {which} program's run")
    return run


def program_rc() -> int:
    """Exit code of the candidate program (-1 if it was killed)."""
    rc = _run("program")["rc"]
    return rc if isinstance(rc, int) else -1


def program_output() -> str:
    """What the candidate program printed on stdout (its last 64 KiB)."""
    return _run("program")["stdout"]


def program_errors() -> str:
    """What the candidate program printed on stderr (its last 64 KiB)."""
    return _run("program")["stderr"]


def require_success() -> None:
    """fail() unless the candidate program exited 0, quoting the end of its stderr."""
    rc = program_rc()
    if rc != 0:
        tail = "\n".join(program_errors().strip().splitlines()[-15:])
        fail(f"the program exited with code {rc}:\n{tail}")


def after_run(command: str) -> dict:
    """The run of one of the task's `after` commands (task.toml), made as the sample after
    the program, in its dir: {"rc", "stdout", "stderr"} as the sandbox recorded them. A
    check never runs the program's code itself."""
    commands, runs = _JUDGE.get("after") or [], _JUDGE.get("after_runs") or []
    if command not in commands:
        fail(f"`{command}` is not among the task's after commands {commands}")
    if len(runs) != len(commands):
        fail("the judge gave no record of the task's after commands")
    return runs[commands.index(command)]


def require_after_success(command: str) -> dict:
    """fail() unless the `after` command `command` exited 0, quoting its stderr; its run."""
    run = after_run(command)
    if run["rc"] != 0:
        tail = "\n".join((run["stderr"] or "").strip().splitlines()[-15:])
        fail(f"`{command}` exited with code {run['rc']}:\n{tail}")
    return run


def entry() -> str:
    """The file name of the program (e.g. train.py)."""
    return _JUDGE.get("entry") or fail("the judge did not name the entry file")


def harness_key() -> str:
    """The per-sample key the task's harness printed its records under ("" if none)."""
    key = _JUDGE.get("harness_key")
    return key if isinstance(key, str) else ""


def original_output() -> str:
    """stdout of the unmodified program, run once per task from a pristine copy."""
    original = _run("original")
    if original["rc"] != 0:
        tail = "\n".join(original["stderr"].strip().splitlines()[-15:])
        fail(f"the original program exited with code {original['rc']} (a broken task):\n{tail}")
    return original["stdout"]


def score(text: str, name: str) -> float:
    """The value of the last line like `name: 0.95` or `name=0.95` in `text`."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\s*[:=]\s*{_NUMBER}", re.IGNORECASE)
    found = pattern.findall(text)
    if not found:
        fail(f"no '{name}: <number>' line in the output")
    return float(found[-1])


def assert_same_score(name: str, rel: float = 1e-6, abs_: float = 1e-9) -> float:
    """The candidate printed the same `name` score as the original program; returns it."""
    expected = score(original_output(), name)
    actual = score(program_output(), name)
    if not math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_):
        fail(f"{name} changed: the original program prints {expected}, this one {actual}")
    return actual
