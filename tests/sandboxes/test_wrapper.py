"""The wrapper's request line and status line (wrapper.py), on the host: only the request
line is evaluated here, by a plain `sh`, never the wrapper itself (its clean-up kills
every process of its uid)."""
from __future__ import annotations

import subprocess

from benchrun.sandboxes.base import OutputTail
from benchrun.sandboxes.docker.wrapper import STATUS_MARK, WRAPPER, Status, parse_status, request, wrapper_command

# What the wrapper defines before it evals the request, then prints the words and the env.
_SHELL = """nl='
'
IFS= read -r req
eval "$req"
printf '%s\\0' "$@"
printf '%s\\0' "ENV:$PLAIN" "ENV:$MULTI"
"""


def _evaluated(timeout_s: float, command: list[str], env: dict[str, str]) -> list[str]:
    done = subprocess.run(["sh", "-c", _SHELL], input=request(timeout_s, command, env), capture_output=True,
                          env={"PATH": "/usr/bin:/bin"}, check=True)
    return done.stdout.decode().split("\0")[:-1]


def test_the_request_line_carries_words_and_values_literally():
    hostile = ["python3", "main.py", "it's", "$(echo INJECTED)", "a\nb", "`id`", ";", "*"]
    env = {"PLAIN": "x y $HOME", "MULTI": "one\ntwo'", "1BAD": "odd", "made": "wrapper's own"}
    words = _evaluated(2.5, hostile, env)
    # A name a shell cannot export, or one the wrapper uses, goes through env(1).
    assert words[:5] == ["2.5", "env", "--", "1BAD=odd", "made=wrapper's own"]
    assert words[5:-2] == hostile
    assert words[-2:] == ["ENV:x y $HOME", "ENV:one\ntwo'"]
    assert request(1, ["true"], None).count(b"\n") == 1  # one line for the wrapper's `read`


def test_the_status_line_is_taken_off_stdout():
    stdout = OutputTail()
    stdout.add(b"program output\n" + STATUS_MARK + b"137 1 0 4\n")
    assert parse_status(stdout) == Status(137, 1, 0, 4)
    assert stdout.raw() == b"program output\n"
    missing = OutputTail()
    missing.add(b"no status\n")
    assert parse_status(missing) is None
    mangled = OutputTail()
    mangled.add(STATUS_MARK + b"0 x\n")
    assert parse_status(mangled) is None


def test_the_wrapper_is_the_packaged_shell_file():
    assert WRAPPER.startswith("#!/bin/sh\n") and "kill -9 -1" in WRAPPER
    assert subprocess.run(["sh", "-n", "-c", WRAPPER]).returncode == 0  # parsed, not run
    assert wrapper_command("/work/d", again=True) == ["sh", "-c", WRAPPER, "benchrun", "/work/d", "again"]
