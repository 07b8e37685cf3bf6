"""SQLite databases and YAML files the program left, parsed in the loader process.

The judge's process holds the verdict's nonce, so no native parser runs there over bytes
the program chose. `install()`, called by the judge before the check runs, routes every
SQLite connection (`sqlite3.connect`: MLflow's and Optuna's stores through SQLAlchemy, DVC's
caches) and every YAML parse (PyYAML's `yaml.load` and the functions built on it: MLflow's
meta.yaml and MLmodel files; ruamel's `YAML.load`: DVC's dvc.yaml, dvc.lock, params and
metrics) to the loader (artifacts.py), which parses and sends back plain data: SQL rows,
descriptions and counts; YAML's mappings, lists and scalars. A parser the file subverts
takes the loader, which can lie about the data or die (the check then fails), never the
verdict. The libraries above it (SQLAlchemy, MLflow, Optuna, DVC) run unchanged in the
judge over that data. ONNX models are run there too (onnx.py, op `onnx_run`).
"""
from __future__ import annotations

import importlib.abc
import sys
import weakref

from .artifacts import LoaderError, _loader, to_data

_WHAT = "the program's SQLite database"


def _sqlite_error(error: LoaderError) -> Exception:
    """The loader's sqlite3 exception as the same class here (SQLAlchemy maps them)."""
    import sqlite3

    kind = getattr(sqlite3, error.kind, None)
    if isinstance(kind, type) and issubclass(kind, sqlite3.Error):
        return kind(error.message)
    return sqlite3.DatabaseError(f"{error.kind}: {error.message}")


def _ask(request: dict):
    try:
        return _loader().parse(request, _WHAT)
    except LoaderError as error:
        raise _sqlite_error(error) from None


class _Remote:
    """A sqlite3 object living in the loader: attributes and calls go there."""

    def __init__(self, handle: dict) -> None:
        object.__setattr__(self, "_handle", handle["handle"])

    def _call(self, name: str, *args):
        return _wrap(_ask({"op": "sqlite", "handle": self._handle, "name": name, "args": to_data(args)}))

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = _ask({"op": "sqlite_get", "handle": self._handle, "name": name})
        if isinstance(value, dict) and set(value) == {"method"}:  # called there, with plain arguments
            return lambda *args: self._call(name, *args)
        return _wrap(value)

    def __setattr__(self, name: str, value) -> None:
        if name in ("row_factory", "text_factory") and value is not None:
            value = _factory(value)
        else:
            value = to_data(value)
        _ask({"op": "sqlite_set", "handle": self._handle, "name": name, "value": value})


def _factory(value) -> dict:
    """A row or text factory by name: the loader has its own (DVC's index sets sqlite3.Row).
    A function of the judge's never runs there."""
    import sqlite3

    for name, known in (("Row", sqlite3.Row), ("str", str), ("bytes", bytes)):
        if value is known:
            return {"factory": name}
    raise TypeError(f"the loader's SQLite supports sqlite3.Row, str and bytes as factories, not {value!r}")


_CURSORS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _wrap(value):
    """A handle as the one object that stands for it here (a cursor's execute() returns
    the cursor itself): a connection, or a cursor, closed in the loader once dropped here."""
    if isinstance(value, dict) and set(value) == {"handle"}:
        handle = value["handle"]
        if handle in _CONNECTIONS:
            return _CONNECTIONS[handle]
        cursor = _CURSORS.get(handle)
        if cursor is None:
            cursor = _CURSORS[handle] = _Cursor(value)
        return cursor
    return value


class _Cursor(_Remote):
    def __del__(self):
        # Not a request from a finalizer (it could come between a request and its answer):
        # the next request carries it.
        _loader().dropped.append(self._handle)

    def execute(self, sql, parameters=()):
        self._call("execute", sql, parameters)
        return self

    def executemany(self, sql, seq):
        self._call("executemany", sql, list(seq))
        return self

    def executescript(self, script):
        self._call("executescript", script)
        return self

    def fetchone(self):
        return self._call("fetchone")

    def fetchmany(self, size=None):
        return self._call("fetchmany", *(() if size is None else (size,)))

    def fetchall(self):
        return self._call("fetchall")

    def close(self):
        self._call("close")

    def setinputsizes(self, sizes):
        pass

    def setoutputsize(self, size, column=None):
        pass

    def __iter__(self):
        return iter(self.fetchall())


_CONNECTIONS: dict[int, _Connection] = {}


class _Connection(_Remote):
    def __init__(self, handle: dict) -> None:
        super().__init__(handle)
        _CONNECTIONS[handle["handle"]] = self

    def cursor(self, *args):
        return self._call("cursor")

    def execute(self, sql, parameters=()):
        return self._call("execute", sql, parameters)

    def executemany(self, sql, seq):
        return self._call("executemany", sql, list(seq))

    def executescript(self, script):
        return self._call("executescript", script)

    def commit(self):
        self._call("commit")

    def rollback(self):
        self._call("rollback")

    def close(self):
        self._call("close")

    def create_function(self, name, *args, **kwargs):
        pass  # the loader has its own REGEXP (SQLAlchemy's); no code of the judge runs in SQL

    # MLflow registers a `percentile` aggregate (for trace metrics, which no check reads).
    create_aggregate = create_collation = create_window_function = create_function

    def set_authorizer(self, *args, **kwargs):
        pass

    set_progress_handler = set_trace_callback = set_authorizer

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.commit() if kind is None else self.rollback()
        return False


def connect(*args, **kwargs):
    """sqlite3.connect, in the loader: a connection whose queries run there."""
    kwargs.pop("factory", None)
    kwargs.pop("check_same_thread", None)  # one process, one pipe
    args = tuple(str(a) if hasattr(a, "__fspath__") else a for a in args)
    return _Connection(_ask({"op": "sqlite_connect", "args": to_data(args), "kwargs": to_data(kwargs)}))


# ---------------------------------------------------------------- YAML


def _text(stream) -> str:
    if hasattr(stream, "read"):
        stream = stream.read()
    elif hasattr(stream, "__fspath__"):  # ruamel takes a Path
        with open(stream, encoding="utf-8") as handle:
            stream = handle.read()
    return stream.decode("utf-8") if isinstance(stream, (bytes, bytearray)) else str(stream)


def _parse_yaml(request: dict, error_class):
    try:
        return _loader().parse(request, "a YAML file of the program")
    except LoaderError as error:
        raise error_class(f"{error.kind}: {error.message}") from None


def _patch_pyyaml(yaml) -> None:
    def load(stream, Loader=None):  # noqa: N803  PyYAML's own argument name
        name = getattr(Loader, "__name__", "SafeLoader")
        name = name if name.endswith("Loader") and hasattr(yaml, name) else "SafeLoader"
        request = {"op": "yaml", "library": "pyyaml", "loader": name, "text": _text(stream), "all": False}
        return _parse_yaml(request, yaml.YAMLError)

    def load_all(stream, Loader=None):  # noqa: N803
        name = getattr(Loader, "__name__", "SafeLoader")
        name = name if name.endswith("Loader") and hasattr(yaml, name) else "SafeLoader"
        request = {"op": "yaml", "library": "pyyaml", "loader": name, "text": _text(stream), "all": True}
        return iter(_parse_yaml(request, yaml.YAMLError))

    yaml.load, yaml.load_all = load, load_all  # safe_load, full_load... call these


def _patch_ruamel(main) -> None:
    from ruamel.yaml.error import YAMLError

    def request(parser, stream, many: bool) -> dict:
        typ = parser.typ if isinstance(parser.typ, str) else (parser.typ or ["rt"])[0]
        return {"op": "yaml", "library": "ruamel", "typ": typ, "pure": bool(parser.pure), "text": _text(stream),
                "all": many}

    main.YAML.load = lambda self, stream: _parse_yaml(request(self, stream, False), YAMLError)
    main.YAML.load_all = lambda self, stream: iter(_parse_yaml(request(self, stream, True), YAMLError))


def _patch_sqlite3(sqlite3) -> None:
    import sqlite3.dbapi2  # already imported by sqlite3 itself; SQLAlchemy uses this one

    sqlite3.connect = sqlite3.dbapi2.connect = connect


# Patched when imported (a cold judge imports none of them unless the check does), or at
# once when the warm judge imported them before forking this judge.
_PATCHES = {"sqlite3": _patch_sqlite3, "yaml": _patch_pyyaml, "ruamel.yaml.main": _patch_ruamel}


class _Patched(importlib.abc.Loader):
    """Runs a module as its own loader would, then patches it."""

    def __init__(self, inner, patch) -> None:
        self.inner, self.patch = inner, patch

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        self.inner.exec_module(module)
        self.patch(module)

    def __getattr__(self, name):
        return getattr(self.inner, name)


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches a YAML library when the check (or a library) imports it, found by the
    finders after this one (the judge's own guards included)."""

    def find_spec(self, name, path=None, target=None):
        patch = _PATCHES.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path[sys.meta_path.index(self) + 1:]:
            spec = getattr(finder, "find_spec", lambda *a: None)(name, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _Patched(spec.loader, patch)
                return spec
        return None


def install() -> None:
    """Route SQLite and YAML parsing to the loader, in this (the judge's) process."""
    sys.meta_path.insert(0, _PatchOnImport())
    for name, patch in _PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
