"""The `.bench` language: parse a spec file and validate it into a typed `Spec`.

    from benchrun.grammar import load_spec, SpecError
    spec = load_spec("specs/translation.bench")   # raises SpecError listing every mistake
"""
from __future__ import annotations

import os

from benchrun.grammar.errors import Diagnostic, SpecError
from benchrun.grammar.spec import Loc, Spec


def parse_text(text: str, filename: str = "<spec>") -> Spec:
    """Parse and validate spec text; relative paths in it start at `filename`'s folder."""
    from benchrun.grammar.parser import parse_module
    from benchrun.grammar.validate import validate

    return validate(parse_module(text, filename), text, filename)


def load_spec(path: str | os.PathLike[str]) -> Spec:
    """Read, parse and validate a `.bench` file; raise SpecError on any mistake."""
    filename = os.fspath(path)
    try:
        with open(filename, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise SpecError([Diagnostic(Loc(filename, 1, 1), "no such file")]) from None
    except IsADirectoryError:
        raise SpecError([Diagnostic(Loc(filename, 1, 1), "this is a folder, not a .bench file")]) from None
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise SpecError([Diagnostic(Loc(filename, line, 1), "the file is not UTF-8 text")]) from None
    except OSError as error:
        raise SpecError([Diagnostic(Loc(filename, 1, 1), f"cannot read the file: {error.strerror}")]) from None
    return parse_text(text, filename)


__all__ = ["Diagnostic", "Loc", "Spec", "SpecError", "load_spec", "parse_text"]
