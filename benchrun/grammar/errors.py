"""Errors in a spec, shown the way compilers show them:

    specs/x.bench:12:5: error: unknown key 'sampels' in benchmark block (did you mean 'samples'?)
       12 |     sampels 5
          |     ^
"""
from __future__ import annotations

from collections.abc import Iterable

import attrs

from benchrun.errors import BenchrunError
from benchrun.errors import did_you_mean as did_you_mean  # re-exported: the grammar's messages
from benchrun.grammar.spec import Loc


@attrs.frozen
class Diagnostic:
    loc: Loc
    message: str
    line_text: str | None = None  # the source line, for the caret display

    def __str__(self) -> str:
        head = f"{self.loc}: error: {self.message}"
        if self.line_text is None:
            return head
        gutter = f"{self.loc.line:>5} | "
        # Keep tabs so the caret lines up under the same column in a terminal.
        pad = "".join(c if c == "\t" else " " for c in self.line_text[: max(self.loc.column - 1, 0)])
        return f"{head}\n{gutter}{self.line_text}\n{' ' * (len(gutter) - 2)}| {pad}^"


class SpecError(BenchrunError):
    """One or more mistakes in a spec. `errors` holds every diagnostic, in source order."""

    def __init__(self, errors: Iterable[Diagnostic]):
        self.errors = sorted(errors, key=lambda d: (d.loc.line, d.loc.column))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.errors)


def one_of(choices: Iterable[str]) -> str:
    """'a, b or c' for messages."""
    names = [f"'{c}'" for c in choices]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def line_of(source: str, line: int) -> str | None:
    lines = source.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None
