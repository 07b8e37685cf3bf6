"""Text -> raw syntax tree (`ast.Module`), with syntax errors phrased for a person."""
from __future__ import annotations

import builtins
import math
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from benchrun.grammar import ast
from benchrun.grammar.errors import Diagnostic, SpecError, line_of
from benchrun.grammar.spec import Loc

BOOLEANS = {"true": True, "false": False, "on": True, "off": False}


MAX_DEPTH = 64


class _TooDeep(Exception):
    def __init__(self, token: Token):
        self.token = token


class _BracketNewlines:
    """Post-lexer: newlines end statements, except inside ( ) and [ ], so a list or a
    call may span lines. It also remembers the last token, to say what an error follows."""

    always_accept = ("_NL",)
    OPEN = {"_LPAR", "LSQB"}
    CLOSE = {"_RPAR", "_RSQB"}

    def __init__(self) -> None:
        self.previous: Token | None = None

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        self.previous = None
        for token in stream:
            if token.type in self.OPEN:
                depth += 1
                if depth > MAX_DEPTH:  # the tree is built recursively: keep Python's stack safe
                    raise _TooDeep(token)
            elif token.type in self.CLOSE:
                depth = max(depth - 1, 0)
            elif token.type == "_NL" and depth:
                continue
            yield token
            self.previous = token


_postlex = _BracketNewlines()
_lock = threading.Lock()  # the post-lexer keeps per-parse state


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = (Path(__file__).parent / "bench.lark").read_text()
    return Lark(grammar, parser="lalr", lexer="contextual", postlex=_postlex, maybe_placeholders=False)


def parse_module(text: str, filename: str) -> ast.Module:
    """Parse `text`; raise SpecError on the first syntax error."""
    with _lock:
        try:
            tree = _lark().parse(text)
        except UnexpectedInput as error:
            raise SpecError([_syntax_diagnostic(error, text, filename, _postlex.previous)]) from None
        except _TooDeep as error:
            loc = _loc(filename, error.token)
            message = f"brackets are nested more than {MAX_DEPTH} deep"
            raise SpecError([Diagnostic(loc, message, line_of(text, loc.line))]) from None
    try:
        return _ToAst(filename).transform(tree)
    except VisitError as error:  # a literal the transformer rejects, e.g. a 5000-digit number
        if isinstance(error.orig_exc, SpecError):
            raise error.orig_exc from None
        raise


# ---------------------------------------------------------------- tree -> AST


def _loc(filename: str, token: Token) -> Loc:
    return Loc(filename, token.line or 1, token.column or 1)


@v_args(inline=True)
class _ToAst(Transformer[Token, ast.Module]):
    def __init__(self, filename: str):
        super().__init__()
        self.filename = filename
        self.source_text = ""

    def _loc(self, token: Token) -> Loc:
        return _loc(self.filename, token)

    def _fail(self, token: Token, message: str) -> NoReturn:
        raise SpecError([Diagnostic(self._loc(token), message)])

    # -- literals
    def int(self, token: Token) -> ast.Int:
        return ast.Int(self._int(token), self._loc(token))

    def _int(self, token: Token) -> builtins.int:
        try:
            return int(token)
        except ValueError:
            self._fail(token, "this number has too many digits")

    def float(self, token: Token) -> ast.Float:
        value = float(token)
        if not math.isfinite(value):
            self._fail(token, f"the number {token} is too large")
        return ast.Float(value, self._loc(token))

    def quantity(self, token: Token) -> ast.Quantity:
        text = str(token)
        split = next(i for i, c in enumerate(text) if c.isalpha())
        number = float(text[:split])
        if not math.isfinite(number):
            self._fail(token, f"the number in {text[:40]} is too large")
        return ast.Quantity(number, text[split:], text, self._loc(token))

    def string(self, token: Token) -> ast.Str:
        raw = str(token)[1:-1]
        # The only escapes are \" and \\ (and \n, \t); anything else keeps its backslash.
        out, i = [], 0
        while i < len(raw):
            c = raw[i]
            if c == "\\" and i + 1 < len(raw):
                nxt = raw[i + 1]
                out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
                i += 2
            else:
                out.append(c)
                i += 1
        return ast.Str("".join(out), self._loc(token))

    def name(self, token: Token) -> ast.Bool | ast.Name:
        if str(token) in BOOLEANS:
            return ast.Bool(BOOLEANS[str(token)], str(token), self._loc(token))
        return ast.Name(str(token), self._loc(token))

    def at(self, name: Token, k: Token) -> ast.At:
        return ast.At(str(name), self._int(k), self._loc(name))

    def range(self, start: Token, end: Token) -> ast.Range:
        return ast.Range(self._int(start), self._int(end), self._loc(start))

    def power(self, base: Token, exponents: ast.Range) -> ast.Power:
        number = self._int(base) if base.type == "INT" else float(base)
        return ast.Power(number, exponents, self._loc(base))

    def list(self, bracket: Token, *items: ast.Value) -> ast.List:
        return ast.List(tuple(items), self._loc(bracket))

    def kwarg(self, name: Token, value: ast.Value) -> ast.Kwarg:
        return ast.Kwarg(str(name), value, self._loc(name))

    def call(self, name: Token, *args: ast.Value | ast.Kwarg) -> ast.Call:
        positional = tuple(a for a in args if not isinstance(a, ast.Kwarg))
        kwargs = tuple(a for a in args if isinstance(a, ast.Kwarg))
        return ast.Call(str(name), positional, kwargs, self._loc(name))

    # -- conditions
    def compare(self, metric: Token, op: Token, value: ast.Value) -> ast.Compare:
        return ast.Compare(str(metric), str(op), value, self._loc(metric))

    def all_of(self, *items: ast.Condition) -> ast.AllOf:
        return ast.AllOf(tuple(items), items[0].loc)

    def any_of(self, *items: ast.Condition) -> ast.AnyOf:
        return ast.AnyOf(tuple(items), items[0].loc)

    # -- statements
    def words(self, *values: ast.Value) -> ast.Words:
        return ast.Words(tuple(values), values[0].loc)

    def setting(self, key: Token, *items: ast.Words | ast.Kwarg) -> ast.Setting:
        return ast.Setting(str(key), tuple(items), self._loc(key))

    def stop(self, key: Token, condition: ast.Condition) -> ast.Stop:
        return ast.Stop(str(key), condition, self._loc(key))

    def param(self, name: Token, value: ast.Value) -> ast.Param:
        return ast.Param(str(name), value, self._loc(name))

    def search(self, head: ast.Name | ast.Call, *params: ast.Param) -> ast.Search:
        return ast.Search(head, tuple(params), head.loc)

    def block(self, kind: Token, name: Token, *body: ast.Statement) -> ast.Block:
        return ast.Block(str(kind), self.string(name).value, self._loc(name), tuple(body), self._loc(kind))

    def definition(self, kind: Token, name: Token, value: ast.Value) -> ast.Definition:
        return ast.Definition(str(kind), str(name), self._loc(name), value, self._loc(kind))

    def start(self, *items: ast.Block | ast.Definition) -> ast.Module:
        return ast.Module(tuple(items))


# ---------------------------------------------------------------- syntax errors

# How each terminal reads in a message.
_TERMINALS = {
    "NAME": "a name",
    "STRING": "a string",
    "INT": "a whole number",
    "FLOAT": "a number",
    "QUANTITY": "a number with a unit",
    "CMP_OP": "a comparison (>, >=, <, <=, ==, !=)",
    "LSQB": "'['",
    "_RSQB": "']'",
    "_LPAR": "'('",
    "_RPAR": "')'",
    "_LBRACE": "'{'",
    "_RBRACE": "'}'",
    "_COMMA": "','",
    "_EQ": "'='",
    "_AT": "'@'",
    "_DOTDOT": "'..'",
    "_POW": "'**'",
    "_WHEN": "'when'",
    "_AND": "'and'",
    "_OR": "'or'",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}
_VALUE_STARTS = {"STRING", "INT", "FLOAT", "QUANTITY", "LSQB"}
# Tokens that could continue what came before but are rarely what someone forgot; they are
# only mentioned when nothing else fits.
_CONTINUATIONS = {"_POW", "_DOTDOT", "_LPAR", "_AT", "_LBRACE", "_WHEN"}


def _accepted(error: UnexpectedInput) -> set[str]:
    """The terminals the parser could take at the error. (The contextual lexer's own list
    also holds the newline the post-lexer asks it to always accept.)"""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        try:  # what the parser can really shift next, without LALR's merged lookaheads
            return {name for name in interactive.accepts() if name in _TERMINALS}
        except Exception:  # noqa: BLE001 - a better message is a nicety, never a new failure
            pass
    state: Any = getattr(error, "state", None)
    try:
        actions = state.parse_conf.parse_table.states[state.position]
        return {name for name in actions if name in _TERMINALS}
    except AttributeError:
        return set(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())


def _describe_expected(expected: set[str]) -> str:
    expected = {e for e in expected if e in _TERMINALS}
    if expected - _CONTINUATIONS:
        expected -= _CONTINUATIONS
    parts: list[str] = []
    if _VALUE_STARTS <= expected:
        parts.append("a value (number, string, list, name, ...)")
        expected -= _VALUE_STARTS | {"NAME"}
    elif {"INT", "FLOAT"} <= expected:
        parts.append("a number")
        expected -= {"INT", "FLOAT"}
    # Show the most helpful alternatives first; a new line is rarely what someone forgot.
    order = sorted(expected, key=lambda e: (e in {"_NL", "$END"}, _TERMINALS[e]))
    parts += [_TERMINALS[e] for e in order]
    if len(parts) > 5:
        parts = parts[:5] + ["..."]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _show(token: Token) -> str:
    if token.type == "_NL":
        return "the end of the line"
    if token.type == "$END":
        return "the end of the file"
    text = str(token)
    return f"'{text[:30]}'"


def _syntax_diagnostic(error: UnexpectedInput, text: str, filename: str, previous: Token | None) -> Diagnostic:
    line, column = error.line or 1, error.column or 1
    after = f" after {_show(previous)}" if previous is not None else ""
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream
        char = text[pos] if pos is not None and pos < len(text) else ""
        if char == '"':
            message = "this string is not closed (strings end with \" on the same line)"
        else:
            shown = repr(char)[1:-1] if char.isprintable() else repr(char)
            message = f"unexpected character '{shown}'{after}"
    elif isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        after = after if previous is not None and previous.type != "_NL" else ""
        message = f"the file ends too early; expected {_describe_expected(_accepted(error))}{after}"
        line, column = _end_position(text)
    else:
        assert isinstance(error, UnexpectedToken)
        token = error.token
        if token.type == "_NL":
            # Point at the end of the line, where something is missing.
            line, column = token.line, token.column
            message = f"expected {_describe_expected(_accepted(error))}{after}, found the end of the line"
        else:
            message = f"unexpected {_show(token)}{after}; expected {_describe_expected(_accepted(error))}"
    source_line = line_of(text, line)
    words = (source_line or "").split()
    if words and words[0] in _HINTS and words[1:2] != [_HINTS[words[0]][0]]:
        message += f" ({_HINTS[words[0]][1]})"
    elif words[:1] in (["benchmark"], ["tune"]) and len(words) > 1 and not words[1].startswith('"'):
        message += f' (a block name is a string: {words[0]} "name" {{ ... }})'
    return Diagnostic(Loc(filename, line, column), message, source_line)


# Statements whose second word is fixed: a hint when it is missing.
_HINTS = {
    "stop": ("when", "write stop when CONDITION, e.g. stop when memory_mb > 512"),
    "evaluate": ("every", "write evaluate every N steps"),
}


def _end_position(text: str) -> tuple[int, int]:
    lines = text.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1
