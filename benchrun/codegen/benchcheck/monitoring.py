"""Monitoring tasks: the program was fed clean and drifted batches (benchcheck.feeds) and
must raise its alarm on the drifted ones only, naming what drifted where the task asks."""
from __future__ import annotations

from collections.abc import Callable

from .feeds import Fed
from .judge import fail, measure

# An outcome: False (no alarm), True (an alarm), or the names an alarm gave (a feature, a class).
Outcome = bool | frozenset


def _describe(outcome: Outcome | None) -> str:
    if outcome is None:
        return "no answer"
    if isinstance(outcome, frozenset):
        return f"alarm on {', '.join(sorted(outcome))}" if outcome else "no alarm"
    return "alarm" if outcome else "no alarm"


def _agrees(expected: Outcome, observed: Outcome | None) -> bool:
    if observed is None:
        return False
    if isinstance(expected, frozenset) and isinstance(observed, frozenset):
        return expected == observed
    return bool(expected) == bool(observed)


def assert_alarms(fed: list[Fed], expected: Callable[[Fed], Outcome],
                  observed: Callable[[Fed], Outcome | None]) -> dict:
    """fail() unless, for every fed batch, what the program reported (`observed`: None when
    it gave no answer) agrees with `expected`: an alarm on exactly the drifted batches, and
    where both are sets of names, the same names. Measures `detections` and `false_alarms`;
    prints and returns the counts
    {"detections", "drifted", "false_alarms", "clean"}."""
    counts = {"detections": 0, "drifted": 0, "false_alarms": 0, "clean": 0}
    problems = []
    for batch in fed:
        want, got = expected(batch), observed(batch)
        if want:
            counts["drifted"] += 1
            counts["detections"] += bool(got)
        else:
            counts["clean"] += 1
            counts["false_alarms"] += bool(got)
        if not _agrees(want, got):
            tail = " | ".join((batch.run.get("stderr") or "").strip().splitlines()[-3:])
            problems.append(f"- `{batch.path}` ({batch.options or 'clean'}): expected {_describe(want)}, "
                            f"the program reported {_describe(got)} (exit {batch.run.get('rc')}"
                            + (f"; stderr: {tail}" if tail and got is None else "") + ")")
    print(f"monitoring: detections {counts['detections']}/{counts['drifted']}, "
          f"false alarms {counts['false_alarms']}/{counts['clean']}")
    for name in ("detections", "false_alarms"):  # graded, before any verdict: a failed check's too
        measure(name, counts[name], "batches")
    if not counts["drifted"] or not counts["clean"]:
        fail("the task feeds no drifted or no clean batch (a broken task)")
    if problems:
        fail("the alarms do not match the batches:\n" + "\n".join(problems))
    return counts
