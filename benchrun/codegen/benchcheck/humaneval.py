"""HumanEval: record and replay.

A HumanEval check calls the candidate function. The candidate runs in the program's own
phase (the recorder, benchrun/codegen/humaneval.py), which writes each call's arguments
and result as plain data; the judge then runs the problem's check over those records, so
no code of the candidate ever runs in the judge, and an object that claims to equal
anything (`__eq__` always True) is not plain data and fails.
"""
from __future__ import annotations

import json

from .judge import fail

CALLS_FILE = ".benchrun-calls.json"


def plain(value):
    """`value` as JSON, keeping tuples, sets, dicts with any keys, bytes and floats exact;
    TypeError for anything that is not a plain value of an exact builtin type."""
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return {"float": repr(value)}
    if kind is list:
        return [plain(v) for v in value]
    if kind is tuple:
        return {"tuple": [plain(v) for v in value]}
    if kind in (set, frozenset):
        return {kind.__name__: sorted((plain(v) for v in value), key=json.dumps)}
    if kind is dict:
        return {"dict": [[plain(k), plain(v)] for k, v in value.items()]}
    if kind is bytes:
        return {"bytes": value.hex()}
    raise TypeError(f"not a plain value: {kind.__name__}")


def unplain(value):
    if isinstance(value, list):
        return [unplain(v) for v in value]
    if not isinstance(value, dict):
        return value
    (tag, inner), = value.items()
    if tag == "float":
        return float(inner)
    if tag == "tuple":
        return tuple(unplain(v) for v in inner)
    if tag == "set":
        return {unplain(v) for v in inner}
    if tag == "frozenset":
        return frozenset(unplain(v) for v in inner)
    if tag == "dict":
        return {unplain(k): unplain(v) for k, v in inner}
    return bytes.fromhex(inner)


def humaneval_replay(prompt: str, test: str, entry_point: str, seed: int = 0) -> None:
    """Run the problem's `check(candidate)` with the calls the recorder wrote: each call
    must have the arguments recorded for it, and gets the recorded result."""
    import random

    try:
        with open(CALLS_FILE, encoding="utf-8") as handle:
            calls = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"the candidate's calls were not recorded ({error}): it did not run to the test")
    position = iter(range(len(calls) + 1))

    def candidate(*args, **kwargs):
        i = next(position)
        if i >= len(calls):
            fail(f"call {i + 1} of {entry_point} was never made by the candidate")
        call = calls[i]
        if json.dumps(plain([list(args), kwargs])) != json.dumps(call.get("args")):
            fail(f"call {i + 1} of {entry_point}: the candidate was called with other arguments")
        if "result" not in call:
            fail(f"call {i + 1} of {entry_point}: {call.get('error', 'the candidate gave no result')}")
        return unplain(call["result"])

    namespace: dict = {"__name__": "humaneval_prompt"}
    exec(compile(prompt, "prompt.py", "exec"), namespace)  # the problem's own helpers
    namespace[entry_point] = candidate  # as the recorder did
    exec(compile(test, "test.py", "exec"), namespace)
    random.seed(seed)  # as the recorder did: tests that draw random inputs draw the same
    namespace["check"](candidate)
    print("ok")
