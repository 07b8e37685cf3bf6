"""Syntax tree -> validated `Spec`, collecting every mistake of a file into one SpecError.

This module holds what every block kind shares: the file's top-level definitions
(`model gpt = openai(...)`), block names, and binding a block's statements to the keys
its block kind declares as registry `Option`s (`Statements`). Each block kind declares
its keys in its entry and checks those with their own structure itself (see
benchrun.blocks: `benchmark` is the codegen package's, `tune` the tuning package's).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from benchrun.blocks import BLOCKS, definitions
from benchrun.grammar import ast
from benchrun.grammar.errors import Diagnostic, SpecError, did_you_mean, line_of
from benchrun.grammar.spec import Block, Loc, Spec
from benchrun.grammar.values import Invalid, converter
from benchrun.registry import Option, Structured


@attrs.frozen
class Definition:
    kind: str  # a definition kind a block kind introduces: model, sandbox, dataset, ...
    value: Any  # the checked value (a ModelSpec, ...), or None if it had errors
    loc: Loc


@attrs.define
class Context:
    """What checking one file needs: where it is (relative paths start there), the
    definitions seen so far, and the list every problem goes to."""

    filename: str
    base_dir: str
    definitions: dict[str, Definition] = attrs.Factory(dict)
    errors: list[Invalid] = attrs.Factory(list)

    def error(self, loc: Loc, message: str) -> None:
        self.errors.append(Invalid(loc, message))

    def attempt(self, check: Callable[..., Any], *args: Any) -> Any:
        """Run one check; on Invalid, note it and return None so checking goes on."""
        try:
            return check(*args)
        except Invalid as error:
            self.errors.extend(error.all())
            return None

    def lookup(self, name: ast.Name, kind: str, builtins: tuple[str, ...], where: str) -> Definition | None:
        """The top-level definition a bare name refers to, or None after reporting why not."""
        found = self.definitions.get(name.name)
        if found is None:
            known = [*builtins, *(n for n, d in self.definitions.items() if d.kind == kind)]
            listing = ", ".join(known) if known else "none"
            self.error(name.loc, f"unknown {kind} '{name.name}' in {where}{did_you_mean(name.name, known)}; known: {listing}")
            return None
        if found.kind != kind:
            self.error(name.loc, f"'{name.name}' is a {found.kind} (line {found.loc.line}), not a {kind}")
            return None
        return found


# ---------------------------------------------------------------- reading a block's statements


def statement_key(statement: ast.Statement) -> str:
    if isinstance(statement, ast.Search):
        return statement.head.name if isinstance(statement.head, (ast.Name, ast.Call)) else "?"
    return statement.key


def block_keys(options: Sequence[Option]) -> dict[str, Option]:
    """Every key a block may write -> the option it belongs to: an option's name, or the
    names of its registry's entries (a search space is `grid { ... }`, `random(...) { ... }`)."""
    keys: dict[str, Option] = {}
    for option in options:
        names = option.type.names if isinstance(option.type, Structured) else None
        for key in names.names() if names is not None else (option.name,):
            keys[key] = option
    return keys


class Statements:
    """A block's statements, bound against its block kind's keys (registry `Option`s): one
    binder for every block kind. Unknown and repeated keys are reported here; `bind()`
    checks the simple keys (numbers, words, flags, durations, sizes, lists of them) with
    the converters a call's arguments use and fills in the declared defaults. A key with
    its own structure (`Structured`) is read by its block kind's checker through `value`
    and `all`, with its default from `default`."""

    def __init__(self, ctx: Context, block: ast.Block, options: Sequence[Option]):
        self.ctx = ctx
        self.block = block
        self.options = {o.name: o for o in options}
        self.keys = block_keys(options)
        self.by_key: dict[str, list[ast.Statement]] = {}
        self.suggested: set[str] = set()  # keys offered as "did you mean": not also "missing"
        for statement in block.body:
            key = statement_key(statement)
            option = self.keys.get(key)
            if option is None:
                where = statement.head.loc if isinstance(statement, ast.Search) else statement.loc
                hint = did_you_mean(key, self.keys)
                self.suggested.update(k for k in self.keys if hint == f" (did you mean '{k}'?)")
                ctx.error(where, f"unknown key '{key}' in {block.kind} block{hint}")
                continue
            seen = self.by_key.setdefault(key, [])
            if seen and not (isinstance(option.type, Structured) and option.type.repeatable):
                ctx.error(statement.loc, f"'{key}' is set twice in this block (first on line {seen[0].loc.line})")
                continue
            seen.append(statement)

    def bind(self) -> dict[str, Any]:
        """The simple keys by name: each checked value, or the declared default when the
        key is absent. A key with a wrong value, or a required one that is missing, is
        left out after its mistake is reported, so nothing is checked against it."""
        out: dict[str, Any] = {}
        for option in self.options.values():
            if isinstance(option.type, Structured):
                continue
            if option.name not in self.by_key:
                if not option.required:
                    out[option.name] = option.default
                continue
            value = self.value(option.name, converter(option.type, self.ctx.base_dir))
            if value is not None:
                out[option.name] = value
        self.require(*(o.name for o in self.options.values() if o.required))
        return out

    def default(self, key: str) -> Any:
        return self.options[key].default

    def has(self, key: str) -> bool:
        return key in self.by_key

    def all(self, key: str) -> list[ast.Statement]:
        return self.by_key.get(key, [])

    def value(self, key: str, check: Callable[[ast.Value, str], Any], default: Any = None) -> Any:
        """The checked single value of `key`, or `default` when absent or wrong."""
        statements = self.by_key.get(key)
        if not statements:
            return default
        value = self.ctx.attempt(single_value, statements[0])
        if value is None:
            return default
        checked = self.ctx.attempt(check, value, key)
        return default if checked is None else checked

    def missing(self, *keys: str) -> bool:
        """None of `keys` is set, nor misspelt (a misspelling is reported already)."""
        return not any(k in self.by_key or k in self.suggested for k in keys)

    def require(self, *keys: str) -> bool:
        missing = [k for k in keys if self.missing(k)]
        for key in missing:
            self.ctx.error(self.block.loc, f'{self.block.kind} "{self.block.name}" is missing \'{key}\'')
        return not missing


def settings(statement: ast.Statement) -> ast.Setting:
    if not isinstance(statement, ast.Setting):
        what = "a condition" if isinstance(statement, ast.Stop) else "a { ... } block"
        raise Invalid(statement.loc, f"'{statement_key(statement)}' does not take {what}")
    return statement


def single_value(statement: ast.Statement) -> ast.Value:
    """The one value of a `key value` statement."""
    setting = settings(statement)
    first = setting.items[0]
    if isinstance(first, ast.Kwarg):
        raise Invalid(first.loc, f"{setting.key} takes a value, not '{first.name} = ...'")
    if len(first.values) > 1:
        raise Invalid(first.values[1].loc, f"{setting.key} takes one value; this is a second one")
    if len(setting.items) > 1:
        raise Invalid(setting.items[1].loc, f"{setting.key} takes one value; this is a second one")
    return first.values[0]


def listed(value: ast.Value) -> Iterator[ast.Value]:
    """The items of a list, or the value itself: `models oracle` means `models [oracle]`."""
    if isinstance(value, ast.List):
        yield from value.items
    else:
        yield value


def used(ctx: Context, stmts: Statements, kinds: tuple[str, ...]) -> Iterator[tuple[str, ast.Name, Definition]]:
    """The definitions named by the block's `use` statements, as (kind, name, definition)."""
    for statement in stmts.all("use"):
        setting = ctx.attempt(settings, statement)
        if setting is None:
            continue
        for item in setting.items:
            values = [item.value] if isinstance(item, ast.Kwarg) else item.values
            for value in values:
                if not isinstance(value, ast.Name):
                    ctx.error(value.loc, f"use takes names defined at top level (model NAME = ...), got {_short(value)}")
                    continue
                found = ctx.definitions.get(value.name)
                if found is None:
                    defined = list(ctx.definitions)
                    hint = did_you_mean(value.name, defined)
                    listing = ", ".join(defined) if defined else "none (define one with model/sandbox/dataset NAME = ...)"
                    ctx.error(value.loc, f"unknown name '{value.name}' in use{hint}; defined: {listing}")
                elif found.kind not in kinds:
                    known = definitions()
                    allowed = " and ".join(known[k].used_as or k for k in kinds if k in known)
                    ctx.error(value.loc, f"'{value.name}' is a {found.kind}; a {stmts.block.kind} block can use {allowed}")
                else:
                    yield found.kind, value, found


def _short(value: ast.Value) -> str:
    from benchrun.grammar.values import describe

    return describe(value)


# ---------------------------------------------------------------- the file


def validate(module: ast.Module, source: str, filename: str) -> Spec:
    """Check a parsed file and build its Spec; raise SpecError listing every problem."""
    ctx = Context(filename=filename, base_dir=os.path.dirname(os.path.abspath(filename)))
    kinds = " or ".join(f'{k} "name" {{ ... }}' for k in BLOCKS.names())
    blocks: list[Block] = []
    names: dict[str, Loc] = {}
    for item in module.items:
        if isinstance(item, ast.Definition):
            _define(ctx, item)
            continue
        if item.kind not in BLOCKS:
            ctx.error(item.loc, f"unknown block '{item.kind}'{did_you_mean(item.kind, BLOCKS.names())}; a block is {kinds}")
            continue
        if not item.name.strip():
            ctx.error(item.name_loc, f"a {item.kind} block needs a name")
        elif item.name in names:
            ctx.error(item.name_loc, f"there is already a block named \"{item.name}\" (line {names[item.name].line})")
        names.setdefault(item.name, item.loc)
        built = BLOCKS.get(item.kind).check(ctx, item)
        if built is not None:
            blocks.append(built)
    if not module.items and not ctx.errors:
        ctx.error(Loc(filename, 1, 1), f"this spec has no blocks; add {kinds}")
    elif not names and not ctx.errors:
        ctx.error(Loc(filename, 1, 1), "this spec only defines names; add a block that uses them")
    if ctx.errors:
        raise SpecError(Diagnostic(e.loc, e.message, line_of(source, e.loc.line)) for e in ctx.errors)
    digest = hashlib.sha256(source.encode()).hexdigest()
    return Spec(path=os.path.abspath(filename), source=source, content_hash=digest, blocks=tuple(blocks))


def _define(ctx: Context, item: ast.Definition) -> None:
    kinds = definitions()
    if item.kind not in kinds:
        hint = did_you_mean(item.kind, kinds)
        listing = ", ".join(list(kinds)[:-1]) + " or " + list(kinds)[-1] if len(kinds) > 1 else "".join(kinds)
        ctx.error(item.loc, f"unknown definition '{item.kind}'{hint}; define a {listing}: {next(iter(kinds))} NAME = ...")
        return
    if item.name in ctx.definitions:
        first = ctx.definitions[item.name].loc
        ctx.error(item.name_loc, f"'{item.name}' is already defined (line {first.line})")
        return
    kind = kinds[item.kind]
    if item.name in kind.builtins():
        ctx.error(item.name_loc, f"'{item.name}' is a built-in {item.kind}; choose another name")
        return
    value = kind.check(ctx, item.value, item.name)
    ctx.definitions[item.name] = Definition(item.kind, value, item.name_loc)
