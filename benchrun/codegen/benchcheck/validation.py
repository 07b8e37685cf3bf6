"""Data-validation tasks: the program was fed files with and without faults
(benchcheck.feeds; the helper's `--fault KIND:COLUMN` options) and must train on the clean
ones and refuse the others: the task's exit code, the bad columns named, no model written."""
from __future__ import annotations

import os
from collections.abc import Callable

from .feeds import Fed
from .judge import fail


def faulty_columns(fed: Fed) -> frozenset[str]:
    """The columns the helper broke: COLUMN of each `--fault KIND:COLUMN`."""
    columns = set()
    for fault in fed.options.get("fault", []):
        kind, sep, column = fault.partition(":")
        if not sep or not column:
            fail(f"task.toml: `{fed.command}`: a fault is KIND:COLUMN, got {fault!r}")
        columns.add(column)
    return frozenset(columns)


def assert_validation(fed: list[Fed], reported: Callable[[Fed], frozenset[str]], *, model: str,
                      refused_rc: int | None = None, exact: bool = True) -> dict:
    """fail() unless every clean file was trained on (exit 0, `model` written in the dir
    the command ran in) and every faulty one refused: exit `refused_rc` (any non-zero code
    if None), no `model` there, and `reported(fed)` (the columns the program named) equal
    to the broken columns (`exact`) or holding them. Prints and returns the counts
    {"refused", "faulty", "accepted", "clean"}."""
    counts = {"refused": 0, "faulty": 0, "accepted": 0, "clean": 0}
    problems = []
    for one in fed:
        bad, rc = faulty_columns(one), one.run.get("rc")
        written = os.path.exists(os.path.join(one.cwd, model))
        where = f"- `{one.path}` ({', '.join(one.options.get('fault', [])) or 'no fault'}):"
        if not bad:
            counts["clean"] += 1
            if rc != 0 or not written:
                tail = " | ".join((one.run.get("stderr") or "").strip().splitlines()[-3:])
                problems.append(f"{where} a valid file, but the program exited {rc}"
                                + ("" if written else f" and wrote no {model}") + (f"; stderr: {tail}" if tail else ""))
            else:
                counts["accepted"] += 1
            continue
        counts["faulty"] += 1
        named = reported(one)
        wrong = []
        if rc == 0 or (refused_rc is not None and rc != refused_rc):
            wrong.append(f"exited {rc}" + ("" if refused_rc is None else f", not {refused_rc}"))
        if written:
            wrong.append(f"wrote {model}")
        if (named != bad) if exact else not bad <= named:
            wrong.append(f"named the columns {sorted(named) or 'none'}, the bad ones are {sorted(bad)}")
        if wrong:
            problems.append(f"{where} " + "; ".join(wrong))
        else:
            counts["refused"] += 1
    print(f"validation: refused {counts['refused']}/{counts['faulty']} faulty files, "
          f"trained on {counts['accepted']}/{counts['clean']} valid ones")
    if not counts["faulty"] or not counts["clean"]:
        fail("the task feeds no faulty or no valid file (a broken task)")
    if problems:
        fail("the program does not refuse exactly the faulty files:\n" + "\n".join(problems))
    return counts
