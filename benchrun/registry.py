"""One registry per extension point: providers, strategies, sandbox backends, executors,
search methods, stop rules, algorithms, data set sources, metrics and block kinds.

An entry is declared once, next to what it builds: its name, a one-line description and
its options (type, unit, default, limits). The grammar checks a spec against the entries
(so messages, did-you-mean and `benchrun plugins` come from the same declaration), and
the factories build from them.

Built-in entries are found through a name -> "module:attribute" table, so listing names
imports nothing heavy; other packages add entries through the entry-point group
`benchrun.<point>` (e.g. `benchrun.providers`), each pointing at an entry object:

    [project.entry-points."benchrun.providers"]
    echo = "my_package.echo:PROVIDER"
"""
from __future__ import annotations

import importlib
import importlib.metadata
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import attrs

from benchrun.errors import BenchrunError, did_you_mean

# ---------------------------------------------------------------- option types
# Constraints declared once: the grammar converts and checks a spec's value with them,
# and `benchrun plugins` describes them.


@attrs.frozen
class Int:
    low: int | None = None
    high: int | None = None

    def describe(self) -> str:
        return "whole number" + _bounds(self.low, self.high)


@attrs.frozen
class Number:
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        return "number" + _bounds(self.low, self.high)


@attrs.frozen
class Text:
    def describe(self) -> str:
        return "string"


@attrs.frozen
class Flag:
    def describe(self) -> str:
        return "on/off"


@attrs.frozen
class Duration:
    """Given with a unit (500ms, 60s, 2m); held in seconds."""

    def describe(self) -> str:
        return "duration"


@attrs.frozen
class Size:
    """Given with a unit (512MiB, 1GiB); held in bytes."""

    def describe(self) -> str:
        return "size"


@attrs.frozen
class File:
    """An existing file, relative to the spec's folder; held as an absolute path."""

    suffixes: tuple[str, ...] = ()

    def describe(self) -> str:
        return "file" + (f" ({' or '.join(self.suffixes)})" if self.suffixes else "")


@attrs.frozen
class Folder:
    """An existing folder, relative to the spec's folder; held as written, so ids stay
    the same wherever the project is."""

    def describe(self) -> str:
        return "folder"


@attrs.frozen
class Price:
    """[input, output]: US dollars per million prompt and completion tokens."""

    def describe(self) -> str:
        return "[input, output] USD per million tokens"


@attrs.frozen
class Word:
    """One of a set of bare words: fixed choices, or the names a registry holds."""

    choices: Any  # tuple[str, ...] | Registry

    def names(self) -> tuple[str, ...]:
        return self.choices.names() if isinstance(self.choices, Registry) else tuple(self.choices)

    def describe(self) -> str:
        if isinstance(self.choices, Registry):
            return f"a {self.choices.singular} name"
        return " | ".join(self.choices)


@attrs.frozen
class Model:
    """A model, written as in a benchmark's `models`: `local()`, `openai("gpt-4o-mini")` or
    a defined model's name; held as its ModelSpec. Checked by the grammar's check_model,
    which knows the spec's definitions."""

    def describe(self) -> str:
        return "a model: local(), openai(...), vllm(...) or a defined model"


@attrs.frozen
class Several:
    """A list of values of one type, each at most once; a single value is a list of one
    (`algorithms svm` means `algorithms [svm]`). `singular` names one item in messages."""

    item: Any  # an option type: Word, Int, ...
    singular: str

    def describe(self) -> str:
        item = " | ".join(self.item.names()) if isinstance(self.item, Word) else self.item.describe()
        return f"{item}, or a list of them"


@attrs.frozen
class Structured:
    """A block key with its own structure (a task glob, a stop rule, a search space),
    checked by its block kind's own code; `shape` says how it is written. `names`: a
    registry whose entries' names are the key (`grid { ... }`, `random(...) { ... }`)."""

    shape: str
    repeatable: bool = False  # may be written on several lines (`stop`, `use`)
    names: Registry[Any] | None = None
    show: Callable[[Any], str] = str  # the default as a spec would write it

    def describe(self) -> str:
        return self.shape


def _bounds(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f" {low:g}..{high:g}"
    if low is not None:
        return f" >= {low:g}"
    if high is not None:
        return f" <= {high:g}"
    return ""


def _shown(option_type: Any, value: Any) -> str:
    """A default as a spec would write it: 60s, 1GiB, off."""
    if isinstance(option_type, Duration):
        return f"{value:g}s"
    if isinstance(option_type, Size):
        for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
            if value >= size and value % size == 0:
                return f"{value // size}{unit}"
        return f"{value}B"
    if isinstance(option_type, Flag):
        return "on" if value else "off"
    if isinstance(option_type, Several):
        return ", ".join(_shown(option_type.item, item) for item in value)
    if isinstance(option_type, Structured):
        return option_type.show(value)
    return str(value)


@attrs.frozen
class Option:
    """One argument of an entry. `affects_result = False` for what only changes how a
    result is reached (timeouts, retries, addresses): unit ids leave those out."""

    name: str
    type: Any  # Int, Number, Text, Flag, Duration, Size, File, Folder, Price, Word, Model, Several or Structured
    doc: str = ""
    default: Any = None
    required: bool = False
    positional: bool = False  # may be given without its name, in declaration order
    affects_result: bool = True
    # Values at which unit ids leave the option out: what results were made with before
    # it existed (or before its default changed), so their ids stay.
    id_omits: tuple[Any, ...] = ()

    def describe(self) -> str:
        parts = [self.type.describe()]
        if self.required:
            parts.append("required")
        elif self.default is not None:
            parts.append(f"default {_shown(self.type, self.default)}")
        return f"{self.name}: {', '.join(parts)}" + (f" — {self.doc}" if self.doc else "")


@attrs.frozen(kw_only=True)
class Entry:
    """What every entry declares; each extension point adds what it builds with."""

    name: str
    doc: str
    options: tuple[Option, ...] = ()

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options if o.default is not None}



E = TypeVar("E", bound=Entry)


class UnknownEntry(BenchrunError):
    """A name no registry entry has, or an entry that cannot be loaded."""


class Registry(Generic[E]):
    """The entries of one extension point, loaded on first use."""

    def __init__(self, point: str, singular: str, entry_type: type[E], builtins: dict[str, str]) -> None:
        self.point, self.singular, self.entry_type = point, singular, entry_type
        self.group = f"benchrun.{point}"
        self._builtins = dict(builtins)  # name -> "module:attribute"
        self._added: dict[str, E] = {}
        self._loaded: dict[str, E] = {}
        self._lock = threading.Lock()
        self._plugin_points: tuple[tuple[str, ...], dict[str, importlib.metadata.EntryPoint]] | None = None
        REGISTRIES[point] = self

    def names(self) -> tuple[str, ...]:
        """Built-in names first, in declaration order, then installed plugins, sorted."""
        extra = sorted((set(self._plugins()) | set(self._added)) - set(self._builtins))
        return (*self._builtins, *extra)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def __iter__(self) -> Iterator[E]:
        return (self.get(name) for name in self.names())

    def get(self, name: str) -> E:
        with self._lock:
            if name not in self._loaded:
                self._loaded[name] = self._load(name)
            return self._loaded[name]

    def add(self, entry: E) -> E:
        """Register an entry in this process (a plugin's entry point is the lasting way)."""
        self._check(entry, entry.name, "added")
        with self._lock:
            self._added[entry.name] = entry
            self._loaded.pop(entry.name, None)
        return entry

    def unknown(self, name: str) -> str:
        """The message for a name this registry lacks."""
        return (f"unknown {self.singular} '{name}'{did_you_mean(name, self.names())}; "
                f"{self.point}: {', '.join(self.names())}")

    def _load(self, name: str) -> E:
        if name in self._added:
            return self._added[name]
        plugin = None if name in self._builtins else self._plugins().get(name)
        if name not in self._builtins and plugin is None:
            raise UnknownEntry(self.unknown(name))
        where = self._builtins[name] if plugin is None else f"the entry point {plugin.value} ({self.group})"
        try:
            if plugin is None:
                module, _, attribute = self._builtins[name].partition(":")
                entry = getattr(importlib.import_module(module), attribute)
            else:
                entry = plugin.load()
        except Exception as err:  # a broken plugin names itself, and only when used
            raise UnknownEntry(f"the {self.singular} '{name}' cannot be loaded from {where}: {err}") from err
        return self._check(entry, name, where)

    def _check(self, entry: Any, name: str, where: str) -> E:
        if not isinstance(entry, self.entry_type):
            raise UnknownEntry(f"{where} is not a {self.entry_type.__name__} (got {type(entry).__name__})")
        if entry.name != name:
            raise UnknownEntry(f"{where} declares the {self.singular} '{entry.name}', registered as '{name}'")
        return entry

    def _plugins(self) -> dict[str, importlib.metadata.EntryPoint]:
        # Read again only when sys.path changed: scanning the installed distributions takes
        # ~30 ms, and checking one spec asks for the names many times.
        path = tuple(sys.path)
        if self._plugin_points is None or self._plugin_points[0] != path:
            self._plugin_points = (path, {ep.name: ep for ep in importlib.metadata.entry_points(group=self.group)})
        return self._plugin_points[1]


# point -> registry, filled as each package declares its registry
REGISTRIES: dict[str, Registry[Any]] = {}
