"""Walk a library's public API and print its reference as JSON: one chunk per API object.

Run as a script in the environment whose libraries it documents (the sandbox image, or a
local interpreter), never imported by benchrun: the libraries are heavy and some have
import side effects. Standard library only. Usage:

    python3 walk_api.py '{"dist": "dvc", "modules": ["dvc.api"], "cli": [["dvc", "add"]]}'

Prints {"version": ..., "chunks": [{"object", "kind", "text"}, ...]}. An object is named
by the first public path it is reached by (mlflow.log_param, not
mlflow.tracking.fluent.log_param) and documented once.
"""
from __future__ import annotations

import functools
import importlib
import importlib.metadata
import inspect
import json
import os
import subprocess
import sys
import warnings

MAX_DOC_CHARS = 3000  # a docstring longer than this is cut: chunks stay a few hundred tokens


def _doc(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc if len(doc) <= MAX_DOC_CHARS else doc[:MAX_DOC_CHARS].rstrip() + "\n[...]"


def _signature(obj) -> str:
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return ""


def _public(module) -> list[str]:
    # __all__ and the public attributes: some packages leave objects out of __all__ that
    # their docs use (wandb.Artifact); what is not the library's own is skipped later.
    names = {*getattr(module, "__all__", ()), *dir(module)}
    return sorted(n for n in names if isinstance(n, str) and not n.startswith("_"))


def _own(obj, roots: tuple[str, ...]) -> bool:
    """Defined by the library (not re-exported from the standard library or numpy)."""
    module = getattr(obj, "__module__", None) or ""
    return module.split(".")[0] in roots


class Walker:
    def __init__(self, roots: tuple[str, ...]):
        self.roots = roots
        self.seen: set[int] = set()
        self.chunks: list[dict] = []

    def add(self, name: str, kind: str, obj, signature: str = "") -> None:
        header = f"### `{name}{signature}`" + ("" if kind == "function" else f" ({kind})")
        doc = _doc(obj)
        self.chunks.append({"object": name, "kind": kind, "text": header + ("\n\n" + doc if doc else "")})

    def module(self, path: str) -> None:
        module = importlib.import_module(path)
        if id(module) not in self.seen:
            self.seen.add(id(module))
            self.add(path, "module", module)
        for name in _public(module):
            try:
                obj = getattr(module, name)
            except Exception:  # a lazy attribute that fails to load is not part of the usable API
                continue
            if id(obj) in self.seen or not _own(obj, self.roots):
                continue
            if inspect.isclass(obj):
                self.seen.add(id(obj))
                self.cls(f"{path}.{name}", obj)
            elif callable(obj) and not inspect.ismodule(obj):
                self.seen.add(id(obj))
                self.add(f"{path}.{name}", "function", obj, _signature(obj))

    def cls(self, name: str, cls) -> None:
        self.add(name, "class", cls, _signature(cls))
        for attr, raw in sorted(vars(cls).items()):
            if attr.startswith("_"):
                continue
            if isinstance(raw, (property, functools.cached_property)):
                self.add(f"{name}.{attr}", "property", raw)
            elif isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
                function = getattr(cls, attr, None)
                if function is not None:
                    self.add(f"{name}.{attr}", "method", function, _signature(function))

    def cli(self, command: list[str]) -> None:
        out = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "DVC_NO_ANALYTICS": "1", "COLUMNS": "100"})
        text = (out.stdout or out.stderr).strip()
        if text:
            self.chunks.append({"object": " ".join(command), "kind": "command",
                                "text": f"### `{' '.join(command)}` (command line)\n\n```\n{text[:MAX_DOC_CHARS]}\n```"})


def main(request: dict) -> dict:
    warnings.simplefilter("ignore")
    roots = tuple(request.get("roots") or {m.split(".")[0] for m in request["modules"]})
    walker = Walker(roots)
    for path in request["modules"]:
        walker.module(path)
    for command in request.get("cli", []):
        walker.cli(command)
    return {"version": importlib.metadata.version(request["dist"]), "chunks": walker.chunks}


if __name__ == "__main__":
    result = main(json.loads(sys.argv[1]))
    sys.stdout.flush()
    print("\n@@APIDOCS@@" + json.dumps(result))  # after whatever the imports printed
