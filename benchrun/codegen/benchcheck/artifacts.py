"""Artefacts that run code when loaded.

Unpickling runs whatever the pickle says, so a program could ship a "model" that, loaded
in the judge, rewrites the check's state. `load_artifact` loads it in a child process and
returns a Remote: attribute reads and method calls go there, and only plain values and
numpy arrays (np.save without pickles) come back. The child runs `_LOADER`, a script
given on its command line (`python -I -c`), so it needs no file of this package. It
cannot read the judge's memory (the judge is non-dumpable) nor write its verdict; at
worst it lies about the model, which the check then compares against the reference it
retrains itself. A scikit-learn model comes back as itself, rebuilt by skops.
"""
from __future__ import annotations

import base64
import functools
import io
import json
import os
import select
import subprocess
import sys

from .judge import fail

_LOADER = r"""
import base64, io, json, sys
import numpy as np

def encode(value):
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or type(value) in (bool, int, float, str):
        return {"value": value}
    if isinstance(value, np.ndarray) and value.dtype != object:
        buffer = io.BytesIO(); np.save(buffer, value, allow_pickle=False)
        return {"array": base64.b64encode(buffer.getvalue()).decode()}
    if hasattr(value, "to_numpy"):
        return encode(np.asarray(value.to_numpy()))
    if type(value) in (list, tuple) and all(x is None or type(x) in (bool, int, float, str) for x in value):
        return {"value": list(value)}
    handles.append(value)
    return {"handle": len(handles) - 1, "type": type(value).__name__}

def decode(value):
    if "array" in value:
        return np.load(io.BytesIO(base64.b64decode(value["array"])), allow_pickle=False)
    if "frame" in value:
        import pandas as pd
        return pd.DataFrame(decode(value["frame"]), columns=value["columns"])
    if "handle" in value:
        return handles[value["handle"]]
    return value["value"]

def load(request):
    kind, target = request["kind"], request["target"]
    if kind == "mlflow":
        import importlib, os
        os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
        if request.get("tracking_uri"):
            import mlflow; mlflow.set_tracking_uri(request["tracking_uri"])
        model = importlib.import_module("mlflow." + request["flavor"]).load_model(target)
        raw = getattr(model, "get_raw_model", None)  # a pyfunc around a scikit-learn model
        inner = raw() if raw else None
        return inner if type(inner).__module__.startswith("sklearn.") else model
    if kind == "joblib":
        import joblib; return joblib.load(target)
    import pickle
    with open(target, "rb") as handle:
        return pickle.load(handle)

def skops_bytes(value):
    # A scikit-learn object in skops's format, which the judge loads without running code.
    if not type(value).__module__.startswith("sklearn."):
        return None
    try:
        import skops.io
        return base64.b64encode(skops.io.dumps(value)).decode()
    except Exception:
        return None

handles = []
for line in sys.stdin:
    request = json.loads(line)
    try:
        op = request["op"]
        if op == "load":
            value = load(request)
            answer = encode(value)
            answer["skops"] = skops_bytes(value)
        else:
            target = handles[request["handle"]]
            if op == "getattr":
                answer = encode(getattr(target, request["name"]))
            elif op == "call":
                args = [decode(a) for a in request["args"]]
                kwargs = {k: decode(v) for k, v in request["kwargs"].items()}
                answer = encode(getattr(target, request["name"])(*args, **kwargs))
            elif op == "len":
                answer = encode(len(target))
            else:
                answer = encode(target[decode(request["key"])])
        reply = {"ok": answer}
    except BaseException as error:
        reply = {"error": type(error).__name__ + ": " + str(error)[:2000]}
    sys.stdout.write(json.dumps(reply) + "\n"); sys.stdout.flush()
"""

LOADER_TIMEOUT_S = 300.0

# Set by the warm judge (judge_runner.py) before this module runs: starts the loader as a
# fresh fork of the pristine, preloaded server (never of the judge) and returns an object
# with Popen's stdin, stdout and kill(). Absent: the loader is a new `python3 -I`.
_SPAWN_LOADER = globals().get("_SPAWN_LOADER")


class _Loader:
    """The one child process that holds every loaded artefact of this check."""

    def __init__(self) -> None:
        if _SPAWN_LOADER is not None:
            try:
                self.process = _SPAWN_LOADER(_LOADER)
                return
            except OSError as error:
                fail(f"the warm judge could not start the artefact loader: {error}")
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", _LOADER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, close_fds=True, text=True,
        )

    def ask(self, request: dict, what: str, raw: bool = False):
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except OSError:
            fail(f"the process loading {what} died")
        ready, _, _ = select.select([self.process.stdout], [], [], LOADER_TIMEOUT_S)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            fail(f"the process loading {what} died or did not answer")
        try:
            reply = json.loads(line)
        except ValueError:
            fail(f"the process loading {what} answered garbage")
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["ok"] if raw else _decode(reply["ok"], what)


@functools.cache
def _loader() -> _Loader:
    return _Loader()


def _encode(value) -> dict:
    import numpy as np

    if isinstance(value, Remote):
        return {"handle": value._handle}
    if hasattr(value, "columns") and hasattr(value, "to_numpy"):  # a DataFrame
        return {"frame": _encode(np.asarray(value.to_numpy())), "columns": list(value.columns)}
    if isinstance(value, (np.ndarray, np.generic)) or (isinstance(value, list) and value and isinstance(value[0], list)):
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value), allow_pickle=False)
        return {"array": base64.b64encode(buffer.getvalue()).decode()}
    return {"value": value}


def _decode(answer: dict, what: str):
    if "array" in answer:
        import numpy as np

        return np.load(io.BytesIO(base64.b64decode(answer["array"])), allow_pickle=False)
    if "handle" in answer:
        return Remote(answer["handle"], answer.get("type", "object"), what)
    return answer["value"]


class Remote:
    """An object living in the loader process: `model.predict(X)`, `model.n_neighbors`,
    `len(model.estimators_)` work as on the object itself, with plain results."""

    def __init__(self, handle: int, type_name: str, what: str) -> None:
        self._handle, self._type, self._what = handle, type_name, what

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            value = _loader().ask({"op": "getattr", "handle": self._handle, "name": name}, self._what)
        except RuntimeError as error:
            raise AttributeError(f"{self._what}: {error}") from None
        if isinstance(value, Remote):
            return _RemoteMember(self, name, value)
        return value

    def _call(self, name: str, args, kwargs):
        request = {"op": "call", "handle": self._handle, "name": name,
                   "args": [_encode(a) for a in args], "kwargs": {k: _encode(v) for k, v in kwargs.items()}}
        return _loader().ask(request, self._what)

    def __len__(self) -> int:
        return _loader().ask({"op": "len", "handle": self._handle}, self._what)

    def __getitem__(self, key):
        return _loader().ask({"op": "getitem", "handle": self._handle, "key": _encode(key)}, self._what)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"<{self._type} of {self._what}, in the loader process>"


class _RemoteMember(Remote):
    """An attribute that is an object: a method (call it) or a sub-object."""

    def __init__(self, owner: Remote, name: str, value: Remote) -> None:
        super().__init__(value._handle, value._type, value._what)
        self._owner, self._name = owner, name

    def __call__(self, *args, **kwargs):
        return self._owner._call(self._name, args, kwargs)


def load_artifact(kind: str, target: str, flavor: str = "pyfunc", what: str = ""):
    """Load `target` (a path, or an MLflow URI for kind "mlflow") with joblib, pickle or
    mlflow.<flavor>.load_model in the loader process; fail() if it cannot be loaded.
    A scikit-learn model comes back as itself, rebuilt from skops's format in the judge;
    anything else as a Remote."""
    what = what or target
    if kind != "mlflow" and not os.path.isfile(target):
        fail(f"{target} was not written")
    request = {"op": "load", "kind": kind, "target": target, "flavor": flavor}
    if kind == "mlflow":
        request["tracking_uri"] = _tracking_uri()
    try:
        answer = _loader().ask(request, what, raw=True)
    except RuntimeError as error:
        fail(f"cannot load {what}: {error}")
    if answer.get("skops"):
        return _from_skops(answer["skops"], what)
    value = _decode(answer, what)
    if not isinstance(value, Remote):
        fail(f"{what} holds a plain {type(value).__name__}, not a model")
    return value


def _from_skops(data: str, what: str):
    """The scikit-learn object itself, rebuilt by skops from plain state: only scikit-learn's
    own classes are instantiated, so its methods are scikit-learn's, whatever the pickle
    did in the loader. (Where skops is missing, the object stays a Remote.)"""
    import skops.io

    raw = base64.b64decode(data)
    types = skops.io.get_untrusted_types(data=raw)
    foreign = [t for t in types if not t.startswith("sklearn.")]
    if foreign:
        fail(f"{what} holds types other than scikit-learn's: {foreign}")
    try:
        return skops.io.loads(raw, trusted=types)
    except Exception as error:  # noqa: BLE001  state skops cannot rebuild: not a usable model
        fail(f"{what} cannot be rebuilt as a scikit-learn model: {type(error).__name__}: {error}")


def _tracking_uri() -> str:
    try:
        import mlflow

        return mlflow.get_tracking_uri()
    except Exception:  # noqa: BLE001  no mlflow here: the loader uses its default
        return ""
