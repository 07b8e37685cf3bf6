"""HumanEval: record and replay.

A HumanEval check calls the candidate function. The candidate runs in the program's own
phase, in a process of its own that the recorder (benchrun/codegen/humaneval.py) calls
over a pipe; the recorder writes each call's arguments and result as plain data to
CALLS_FILE and prints the file's sha256 after CALLS_MARK and the sample's harness key,
which the candidate never sees. The judge then runs the problem's check over those
records, once it has found that line with its key and the file's digest in it. So no code
of the candidate ever runs in the judge, records the program edited are refused, and an
object that claims to equal anything (`__eq__` always True) is not plain data and fails.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat

from .judge import fail, harness_key, program_output

CALLS_FILE = ".benchrun-calls.json"
CALLS_MARK = "\x1eBENCHRUN-CALLS"


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


def recorded_calls() -> list:
    """The calls the recorder wrote, if the program printed their digest under this sample's
    key (only the recorder knows it) and CALLS_FILE still has that digest."""
    key = harness_key()
    # Not splitlines(): it also splits at the \x1e that starts the mark.
    digests = [line.split(" ")[2] for line in program_output().split("\n")
               if key and line.startswith(f"{CALLS_MARK} {key} ") and len(line.split(" ")) == 3]
    if not digests:
        fail("the recorder did not finish: the candidate's calls were not recorded")
    try:
        handle = os.open(CALLS_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        fail(f"the candidate's calls were not recorded ({error})")
    with os.fdopen(handle, "rb") as records:
        if not stat.S_ISREG(os.fstat(records.fileno()).st_mode):
            fail(f"{CALLS_FILE} is not the recorder's file")
        data = records.read()
    if hashlib.sha256(data).hexdigest() != digests[-1]:
        fail(f"{CALLS_FILE} is not what the recorder wrote: the program changed it")
    try:
        calls = json.loads(data)
    except ValueError as error:
        fail(f"the candidate's calls cannot be read: {error}")
    if not isinstance(calls, list):
        fail(f"{CALLS_FILE} holds no list of calls")
    return calls


def humaneval_replay(prompt: str, test: str, entry_point: str, seed: int = 0) -> None:
    """Run the problem's `check(candidate)` with the calls the recorder wrote: each call
    must have the arguments recorded for it, and gets the recorded result."""
    import random

    calls = recorded_calls()
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
