"""Checking single values: types, units, ranges, and the arguments of a call.

Every function takes a syntax-tree value and either returns the plain Python value or
raises `Invalid` with the location to blame; validation collects those into one report.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import attrs

from benchrun import registry
from benchrun.grammar import ast
from benchrun.grammar.errors import did_you_mean
from benchrun.grammar.spec import Loc
from benchrun.registry import Option

N = TypeVar("N", int, float)

DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
SIZE_UNITS = {
    "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}
MAX_LIST = 100_000  # longest range a spec may expand to; more is surely a mistake


class Invalid(Exception):
    def __init__(self, loc: Loc, message: str, also: tuple[Invalid, ...] = ()):
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.also = also  # further mistakes in the same value: a list's other wrong items

    def all(self) -> list[Invalid]:
        return [self, *self.also]


def describe(value: ast.Value) -> str:
    """How a value is named in a message: 'the string "hot"', 'the size 1GiB'."""
    match value:
        case ast.Int() | ast.Float():
            return f"the number {value.value:g}" if isinstance(value.value, float) else f"the number {value.value}"
        case ast.Quantity():
            if value.unit in DURATION_UNITS:
                return f"the duration {value.text}"
            if value.unit in SIZE_UNITS:
                return f"the size {value.text}"
            return f"'{value.text}'"
        case ast.Str():
            return f'the string "{value.value}"'
        case ast.Bool():
            return f"the boolean {value.text}"
        case ast.Name():
            return f"the name '{value.name}'"
        case ast.At():
            return f"{value.name}@{value.k}"
        case ast.Range():
            return f"the range {value.start} .. {value.end}"
        case ast.Power():
            return "a power range"
        case ast.List():
            return "a list"
        case ast.Call():
            return f"{value.name}(...)"
    return "this value"


def _wrong(value: ast.Value, what: str, expected: str) -> Invalid:
    return Invalid(value.loc, f"{what} must be {expected}, got {describe(value)}")


def _unit_error(value: ast.Quantity) -> Invalid | None:
    if value.unit in DURATION_UNITS or value.unit in SIZE_UNITS:
        return None
    hint = did_you_mean(value.unit, [*DURATION_UNITS, *SIZE_UNITS])
    return Invalid(
        value.loc,
        f"unknown unit '{value.unit}' in '{value.text}'{hint}; durations use ms, s, m, h "
        "and sizes B, KB, MB, GB, KiB, MiB, GiB",
    )


# ---------------------------------------------------------------- scalars


def as_int(value: ast.Value, what: str, low: int | None = None, high: int | None = None) -> int:
    if not isinstance(value, ast.Int):
        raise _wrong(value, what, "a whole number")
    return _bounded(value, value.value, what, low, high)


def as_number(value: ast.Value, what: str, low: float | None = None, high: float | None = None) -> float:
    if not isinstance(value, (ast.Int, ast.Float)):
        raise _wrong(value, what, "a number")
    return _bounded(value, float(value.value), what, low, high)


def _bounded(node: ast.Value, number: N, what: str, low: float | None, high: float | None) -> N:
    if low is not None and number < low:
        raise Invalid(node.loc, f"{what} must be at least {low}, got {number:g}")
    if high is not None and number > high:
        raise Invalid(node.loc, f"{what} must be at most {high}, got {number:g}")
    return number


def as_str(value: ast.Value, what: str) -> str:
    if not isinstance(value, ast.Str):
        raise _wrong(value, what, "a string in double quotes")
    return value.value


def as_bool(value: ast.Value, what: str) -> bool:
    if not isinstance(value, ast.Bool):
        raise _wrong(value, what, "on/off or true/false")
    return value.value


def as_word(value: ast.Value, what: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of bare words (a string with the same text is accepted too)."""
    word = value.name if isinstance(value, ast.Name) else value.value if isinstance(value, ast.Str) else None
    if word is None:
        raise _wrong(value, what, "one of " + ", ".join(choices))
    if word not in choices:
        raise Invalid(value.loc, f"unknown {what} '{word}'{did_you_mean(word, choices)}; choose one of {', '.join(choices)}")
    return word


def as_entry_name(value: ast.Value, what: str, registry: Any) -> str:
    """A bare name (or a string) that names one of a registry's entries (a rule's metric)."""
    word = value.name if isinstance(value, ast.Name) else value.value if isinstance(value, ast.Str) else None
    if word is None:
        raise Invalid(value.loc, f"{what} must be one of {', '.join(registry.names())}, got {describe(value)}")
    if word not in registry:
        raise Invalid(value.loc, registry.unknown(word))
    return word


def as_duration(value: ast.Value, what: str) -> float:
    """Seconds, from a duration literal such as 500ms, 60s, 2m, 1h."""
    if isinstance(value, ast.Quantity):
        if (error := _unit_error(value)) is not None:
            raise error
        if value.unit in DURATION_UNITS:
            seconds = value.number * DURATION_UNITS[value.unit]
            if seconds <= 0:
                raise Invalid(value.loc, f"{what} must be longer than zero")
            return seconds
    if isinstance(value, (ast.Int, ast.Float)):
        raise Invalid(value.loc, f"{what} needs a unit, e.g. {value.value}s or {value.value}ms")
    raise _wrong(value, what, "a duration (e.g. 60s, 500ms, 2m)")


def as_size(value: ast.Value, what: str) -> int:
    """Bytes, from a size literal such as 512MiB or 1GiB."""
    if isinstance(value, ast.Quantity):
        if (error := _unit_error(value)) is not None:
            raise error
        if value.unit in SIZE_UNITS:
            size = int(value.number * SIZE_UNITS[value.unit])
            if size <= 0:
                raise Invalid(value.loc, f"{what} must be larger than zero")
            return size
    if isinstance(value, (ast.Int, ast.Float)):
        raise Invalid(value.loc, f"{what} needs a unit, e.g. {value.value}MiB or {value.value}GiB")
    raise _wrong(value, what, "a size (e.g. 512MiB, 1GiB)")


def as_path(value: ast.Value, what: str, base_dir: str, suffixes: tuple[str, ...] = ()) -> str:
    """An existing file, relative to the spec's folder; returns its absolute path."""
    import os

    text = as_str(value, what)
    path = os.path.normpath(os.path.join(base_dir, os.path.expanduser(text)))
    if suffixes and not text.lower().endswith(suffixes):
        raise Invalid(value.loc, f"{what} must be a {' or '.join(suffixes)} file, got \"{text}\"")
    if not os.path.isfile(path):
        raise Invalid(value.loc, f"file not found: \"{text}\" (looked for {path})")
    return path


def as_folder(value: ast.Value, what: str, base_dir: str) -> str:
    """An existing folder, relative to the spec's folder; returned as written."""
    import os

    text = as_str(value, what)
    path = os.path.normpath(os.path.join(base_dir, os.path.expanduser(text)))
    if not os.path.isdir(path):
        raise Invalid(value.loc, f"folder not found: \"{text}\" (looked for {path})")
    return text


def as_price(value: ast.Value, what: str) -> tuple[float, float]:
    """[input, output] dollars per million tokens, e.g. [0.15, 0.60]."""
    items = value.items if isinstance(value, ast.List) else ()
    if len(items) != 2:
        raise _wrong(value, what, "[input, output] in USD per million tokens, e.g. [0.15, 0.60]")
    return as_number(items[0], f"{what} (input)", low=0.0), as_number(items[1], f"{what} (output)", low=0.0)


def as_several(value: ast.Value, what: str, item: Callable[[ast.Value, str], Any], singular: str) -> tuple[Any, ...]:
    """A list of items, each checked by `item` and named `singular` in messages, each at
    most once; a single value is a list of one. Every wrong item is reported."""
    if isinstance(value, ast.List) and not value.items:
        raise Invalid(value.loc, f"{what} is an empty list")
    out: list[Any] = []
    errors: list[Invalid] = []
    for node in value.items if isinstance(value, ast.List) else (value,):
        try:
            checked = item(node, singular)
        except Invalid as error:
            errors.extend(error.all())
            continue
        if checked in out:
            errors.append(Invalid(node.loc, f"{singular} '{checked}' is listed twice"))
        else:
            out.append(checked)
    if errors:
        raise Invalid(errors[0].loc, errors[0].message, tuple(errors[1:]))
    return tuple(out)


# ---------------------------------------------------------------- finite lists


def scalar(value: ast.Value, what: str) -> Any:
    """A plain value inside a list: number, string, boolean or bare word."""
    match value:
        case ast.Int() | ast.Float() | ast.Str() | ast.Bool():
            return value.value
        case ast.Name():
            return value.name
    raise _wrong(value, what, "a number, string or name")


def as_values(value: ast.Value, what: str) -> tuple[Any, ...]:
    """The values of a list, a range or a power range (a single value is a list of one)."""
    match value:
        case ast.List():
            if not value.items:
                raise Invalid(value.loc, f"{what} is an empty list")
            return tuple(scalar(item, what) for item in value.items)
        case ast.Range():
            return tuple(range_values(value))
        case ast.Power():
            return power_values(value)
    return (scalar(value, what),)


def range_values(value: ast.Range) -> range:
    if value.end < value.start:
        raise Invalid(
            value.loc,
            f"empty range {value.start} .. {value.end}: the end is below the start "
            f"(did you mean {value.end} .. {value.start}?)",
        )
    if value.end - value.start >= MAX_LIST:
        raise Invalid(value.loc, f"the range {value.start} .. {value.end} has more than {MAX_LIST} values")
    return range(value.start, value.end + 1)


def power_values(value: ast.Power) -> tuple[int | float, ...]:
    exponents = range_values(value.exponents)
    integral = isinstance(value.base, int) and exponents.start >= 0
    out: list[int | float] = []
    for e in exponents:
        try:
            as_float = float(value.base) ** e
        except (OverflowError, ZeroDivisionError):
            as_float = math.inf
        if not math.isfinite(as_float) or abs(as_float) > 1e300:
            raise Invalid(value.loc, f"{value.base} ** {e} is too large")
        out.append(value.base**e if integral else as_float)
    return tuple(out)


# ---------------------------------------------------------------- calls


@attrs.frozen
class Arg:
    """One parameter of a call: `convert(value, what)` checks and converts it."""

    name: str
    convert: Callable[[ast.Value, str], Any]
    required: bool = False
    positional: bool = False  # may also be given without its name, in this order


def converter(option_type: Any, base_dir: str) -> Callable[[ast.Value, str], Any]:
    """How a spec's value is checked against a registry option's declared type."""
    match option_type:
        case registry.Int(low, high):
            return partial(as_int, low=low, high=high)
        case registry.Number(low, high):
            return partial(as_number, low=low, high=high)
        case registry.Text():
            return as_str
        case registry.Flag():
            return as_bool
        case registry.Duration():
            return as_duration
        case registry.Size():
            return as_size
        case registry.File(suffixes):
            return partial(as_path, base_dir=base_dir, suffixes=suffixes)
        case registry.Folder():
            return partial(as_folder, base_dir=base_dir)
        case registry.Price():
            return as_price
        case registry.Word(choices) if isinstance(choices, registry.Registry):
            return partial(as_entry_name, registry=choices)
        case registry.Word():
            return lambda value, what: as_word(value, what, option_type.names())
        case registry.Several(item, singular):
            return partial(as_several, item=converter(item, base_dir), singular=singular)
    raise TypeError(f"no converter for option type {option_type!r}")


def option_args(options: Iterable[Option], base_dir: str) -> list[Arg]:
    """A registry entry's options as the arguments `bind` checks."""
    return [Arg(o.name, converter(o.type, base_dir), o.required, o.positional) for o in options]


def bind(call: ast.Call, params: list[Arg], errors: list[Invalid]) -> dict[str, Any]:
    """Check a call's arguments against `params`; return the valid ones by name.

    Every problem is appended to `errors`, so one call can report several."""
    by_name = {p.name: p for p in params}
    positional = [p for p in params if p.positional]
    given: dict[str, ast.Value] = {}
    where: dict[str, Loc] = {}
    for index, arg in enumerate(call.args):
        if index >= len(positional):
            takes = ", ".join(p.name for p in positional)
            detail = f"one positional argument ({takes})" if len(positional) == 1 else (
                f"{len(positional)} positional arguments ({takes})" if positional else "no positional arguments"
            )
            names = ", ".join(by_name) or "none"
            errors.append(Invalid(arg.loc, f"{call.name}() takes {detail}; give the others by name (arguments: {names})"))
            break
        given[positional[index].name] = arg
        where[positional[index].name] = arg.loc
    for kwarg in call.kwargs:
        if kwarg.name not in by_name:
            known = ", ".join(by_name) or "none"
            hint = did_you_mean(kwarg.name, by_name)
            errors.append(Invalid(kwarg.loc, f"unknown argument '{kwarg.name}' for {call.name}(){hint}; it takes: {known}"))
            continue
        if kwarg.name in given:
            first = where[kwarg.name]
            errors.append(Invalid(kwarg.loc, f"argument '{kwarg.name}' of {call.name}() is given twice (first at line {first.line})"))
            continue
        given[kwarg.name] = kwarg.value
        where[kwarg.name] = kwarg.loc
    out: dict[str, Any] = {}
    for param in params:
        if param.name in given:
            try:
                out[param.name] = param.convert(given[param.name], param.name)
            except Invalid as error:
                errors.extend(error.all())
        elif param.required:
            errors.append(Invalid(call.loc, f"{call.name}() needs the argument '{param.name}'"))
    return out
