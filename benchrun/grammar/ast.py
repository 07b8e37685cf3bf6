"""The raw syntax tree of a `.bench` file, as the parser builds it.

Nothing here is checked yet: a `Setting` may name a key that does not exist, a `Call` may
pass kwargs no backend knows. Validation (`validate.py`) walks these nodes and turns them
into the typed values of `spec.py`. Every node carries the `Loc` of its first token.
"""
from __future__ import annotations

import attrs

from benchrun.grammar.spec import Loc

# ---------------------------------------------------------------- values


@attrs.frozen
class Int:
    value: int
    loc: Loc


@attrs.frozen
class Float:
    value: float
    loc: Loc


@attrs.frozen
class Quantity:
    """A number with a unit, e.g. 60s or 1GiB; `text` is how it was written."""

    number: float
    unit: str
    text: str
    loc: Loc


@attrs.frozen
class Str:
    value: str
    loc: Loc


@attrs.frozen
class Bool:
    value: bool
    text: str
    loc: Loc


@attrs.frozen
class Name:
    """A bare word: `oracle`, `zero_shot`, `regression`, a defined model's name..."""

    name: str
    loc: Loc


@attrs.frozen
class At:
    """`pass@3`"""

    name: str
    k: int
    loc: Loc


@attrs.frozen
class Range:
    """`1 .. 10`, both ends included."""

    start: int
    end: int
    loc: Loc


@attrs.frozen
class Power:
    """`2 ** (1 .. 10)`: base raised to every exponent of the range."""

    base: int | float
    exponents: Range
    loc: Loc


@attrs.frozen
class List:
    items: tuple[Value, ...]
    loc: Loc


@attrs.frozen
class Kwarg:
    name: str
    value: Value
    loc: Loc


@attrs.frozen
class Call:
    name: str
    args: tuple[Value, ...]
    kwargs: tuple[Kwarg, ...]
    loc: Loc


Value = Int | Float | Quantity | Str | Bool | Name | At | Range | Power | List | Call

# ---------------------------------------------------------------- stop conditions


@attrs.frozen
class Compare:
    metric: str
    op: str
    value: Value
    loc: Loc


@attrs.frozen
class AllOf:
    items: tuple[Condition, ...]
    loc: Loc


@attrs.frozen
class AnyOf:
    items: tuple[Condition, ...]
    loc: Loc


Condition = Compare | Call | AllOf | AnyOf

# ---------------------------------------------------------------- statements


@attrs.frozen
class Words:
    """Values written side by side, e.g. `every 100 steps`; most settings have one."""

    values: tuple[Value, ...]
    loc: Loc


@attrs.frozen
class Setting:
    """`key item, item, ...` where each item is `Words` or a `Kwarg`."""

    key: str
    items: tuple[Words | Kwarg, ...]
    loc: Loc


@attrs.frozen
class Stop:
    """`stop when <condition>` (the key is kept as written so typos can be reported)."""

    key: str
    condition: Condition
    loc: Loc


@attrs.frozen
class Param:
    name: str
    value: Value
    loc: Loc


@attrs.frozen
class Search:
    """`grid { ... }` or `random(samples = 20) { ... }`."""

    head: Name | Call
    params: tuple[Param, ...]
    loc: Loc


Statement = Setting | Stop | Search

# ---------------------------------------------------------------- top level


@attrs.frozen
class Block:
    kind: str  # benchmark or tune (checked by validation)
    name: str
    name_loc: Loc
    body: tuple[Statement, ...]
    loc: Loc


@attrs.frozen
class Definition:
    kind: str  # model, sandbox or dataset (checked by validation)
    name: str
    name_loc: Loc
    value: Value
    loc: Loc


@attrs.frozen
class Module:
    items: tuple[Block | Definition, ...]
