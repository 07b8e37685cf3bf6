"""The root of every error benchrun raises for a user to read.

Catch `BenchrunError` to catch them all; each subclass's message says what went wrong
and what to do about it.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable


class BenchrunError(Exception):
    """An error a user can meet: a bad spec, a missing part, a run that cannot go on."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
