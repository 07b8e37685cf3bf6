"""Graded measures leave the judge on its verdict line only: what the check measured
reaches the Judgement (a failed check's too, never changing the verdict), and nothing the
program prints, however it looks, adds or changes one. Both backends; Docker with its
warm judge and cold."""
from __future__ import annotations

import base64
import json

import attrs
import pytest

from benchrun.codegen.tasks import benchcheck_modules
from benchrun.sandboxes import LocalSandbox
from benchrun.sandboxes.base import VERDICT_MARK, OutputTail, parse_measures, take_verdict


def _b64(items) -> str:
    return base64.b64encode(json.dumps(items).encode()).decode()


FORGED = [{"name": "size_ratio", "value": 0.0001, "unit": "ratio"}, {"name": "injected", "value": 1.0, "unit": ""}]
# A program that prints every line it can think of that looks like a measure or a verdict.
PROGRAM = f"""
import sys
forged = {_b64(FORGED)!r}
for nonce in ("0" * 32, "x", ""):
    print("\\x1eBENCHRUN-VERDICT", nonce, "pass 1", forged)
    print("\\x1eBENCHRUN-VERDICT", nonce, "pass 1", forged, file=sys.stderr)
print("MEASURE size_ratio 0.0001")
print("size_ratio: 0.0001")
"""
# The check measures, then echoes the program's output on its own stdout and stderr (the
# worst case: a check quoting what the program printed), then passes or fails.
CHECK = """
import sys
from benchcheck import fail, measure, program_output
measure("size_ratio", 0.25, "ratio")
measure("latency_ms", 3.5, "ms")
measure("latency_ms", 4.5, "ms")  # measured again: replaced
print(program_output())
print(program_output(), file=sys.stderr)
if SHOULD_FAIL:
    fail("the outcome is wrong")
"""
EXPECTED = ({"name": "size_ratio", "value": 0.25, "unit": "ratio"}, {"name": "latency_ms", "value": 4.5, "unit": "ms"})


def _request(should_fail: bool) -> dict:
    return {"check": CHECK.replace("SHOULD_FAIL", str(should_fail)), "modules": benchcheck_modules(),
            "original": {}, "context": {"entry": "main.py", "original": None}}


@pytest.fixture(params=[pytest.param("docker-warm", marks=pytest.mark.docker),
                        pytest.param("docker-cold", marks=pytest.mark.docker), "local"])
def sandbox(request):
    if request.param == "local":
        yield LocalSandbox(use_bwrap=False)
        return
    from benchrun.sandboxes import DockerSandbox

    # A fresh one-container pool: its judge is warm from the first sample on. warm_judge is
    # given at construction, as a spec does: the container's memory limit is set from it.
    with DockerSandbox(parallelism=1, limits=request.getfixturevalue("limits"), client=request.getfixturevalue("docker_client"),
                       warm_judge=request.param == "docker-warm") as pool:
        yield pool


@pytest.mark.parametrize("should_fail", [False, True])
def test_only_the_check_s_measures_reach_the_judgement(sandbox, limits, should_fail):
    judgement = sandbox.judge({"main.py": PROGRAM}, ["python3", "main.py"], _request(should_fail),
                              attrs.evolve(limits, timeout_s=60))
    assert judgement.passed is not should_fail, (judgement.check or judgement.program)  # None: no check ran
    assert judgement.measures == EXPECTED  # a failed check's too: the sample row marks them
    assert "the outcome is wrong" in judgement.check.stderr if should_fail else True


def test_a_check_cannot_report_a_malformed_measure(sandbox, limits):
    check = ("from benchcheck import measure\nmeasure('ok', 1)\n"
             "for bad in [('Bad Name', 1), ('x', float('nan')), ('x', 'fast'), ('x', True), ('x', 1, 'unit with spaces')]:\n"
             "    try:\n        measure(*bad)\n    except ValueError:\n        pass\n"
             "    else:\n        raise SystemExit(f'accepted {bad}')\n")
    request = {**_request(False), "check": check}
    judgement = sandbox.judge({"main.py": "print('hi')\n"}, ["python3", "main.py"], request,
                              attrs.evolve(limits, timeout_s=60))
    assert judgement.passed, judgement.check.stderr
    assert judgement.measures == ({"name": "ok", "value": 1.0, "unit": ""},)


def test_the_verdict_line_s_measures_are_read_from_that_line_alone():
    nonce = "ab" * 16
    tail = OutputTail()
    # The judge's line without measures, then a forged field appended by a late writer.
    tail.add(f"check output\n\n{VERDICT_MARK} {nonce} pass 1 -\n{_b64(FORGED)}\n".encode())
    assert take_verdict(tail, nonce) == (True, True, ())
    assert tail.raw() == b"check output\n"
    tail = OutputTail()
    tail.add(f"\n{VERDICT_MARK} {nonce} fail 1 {_b64(list(EXPECTED))} {_b64(FORGED)}\n".encode())
    assert take_verdict(tail, nonce) == (False, True, EXPECTED)
    tail = OutputTail()  # an older judge's line (no measures field)
    tail.add(f"\n{VERDICT_MARK} {nonce} pass 1\n".encode())
    assert take_verdict(tail, nonce) == (True, True, ())


def test_malformed_measures_on_the_line_are_dropped():
    items = [{"name": "ok", "value": 2}, {"name": "Bad", "value": 1}, {"name": "nan", "value": float("nan")},
             {"name": "s", "value": "1"}, {"name": "b", "value": True}, {"name": "u", "value": 1, "unit": "a b"},
             ["not", "a", "dict"]]
    assert parse_measures(_b64(items).encode()) == ({"name": "ok", "value": 2.0, "unit": ""},)
    assert parse_measures(b"not base64!") == ()
    assert parse_measures(_b64({"name": "x"}).encode()) == ()
    assert len(parse_measures(_b64([{"name": f"m{i}", "value": i} for i in range(100)]).encode())) == 32
