"""Graded values of a model-optimisation task: how long a prediction takes, timed on the
judge's own clock. A check reports them with `measure` (judge.py); they never decide it.

The judge times what runs in it (the reference model it retrained, a scikit-learn model
load_artifact rebuilt) directly. An ONNX file runs in the loader process (onnx.py), whose
clock the judge does not trust: it asks for the run once and then `repeat` + 1 times in one
request and takes the difference of the two round trips on its own clock, so the loader's
start-up, the file's parsing and the data's transfer cancel out and nothing the loader says
about time is used."""
from __future__ import annotations

import os
import pickle
import time

from .artifacts import LoaderError, _encode, _loader
from .judge import fail, measure

TRIALS = 3  # best of: a loaded machine only ever makes a run slower


def seconds_per_call(call, repeat: int = 20) -> float:
    """Seconds one `call()` takes in the judge: the best of TRIALS batches of `repeat` calls."""
    best = float("inf")
    for _ in range(TRIALS):
        started = time.perf_counter()
        for _ in range(repeat):
            call()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best


def onnx_seconds(path: str, X, repeat: int = 20) -> float:
    """Seconds one onnxruntime run of the ONNX file on X takes, on the judge's clock (see
    the top); fail() if the file cannot be run (onnx_outputs says why)."""
    import numpy as np

    if not os.path.isfile(path):
        fail(f"{path} was not written")
    base = {"op": "onnx_run", "path": os.path.abspath(path), "X": _encode(np.asarray(X))}

    def round_trip(runs: int) -> float:
        started = time.perf_counter()
        try:
            answer = _loader().ask({**base, "repeat": runs}, path, raw=True)
        except LoaderError as error:
            fail(f"{path} cannot be run: {error}")
        if "fail" in answer:
            fail(f"{path} {answer['fail']}")
        return time.perf_counter() - started

    once = min(round_trip(1) for _ in range(TRIALS))
    for runs in (repeat, repeat * 10, repeat * 100):  # a tiny model's run hides in a round trip's noise
        many = min(round_trip(runs + 1) for _ in range(TRIALS))
        if many > once:
            return (many - once) / runs
    return 0.0  # too fast to resolve: measure_onnx_model leaves latency_ratio out


def measure_onnx_model(path: str, model, X, y, task: str = "classifier") -> None:
    """Measure the ONNX file against the fitted scikit-learn `model` on the test rows X, y:
    size_ratio (file bytes / the model's pickle), latency_ratio (an onnxruntime run over X
    / model.predict(X)) and accuracy_drop (classifier) or r2_drop (regressor), the model's
    score minus the file's (negative: the file scores higher)."""
    import numpy as np
    from sklearn.metrics import accuracy_score, r2_score

    from .onnx import onnx_outputs

    measure("size_ratio", os.path.getsize(path) / len(pickle.dumps(model)), "ratio")
    seconds = onnx_seconds(path, X)
    if seconds > 0:
        measure("latency_ratio", seconds / seconds_per_call(lambda: model.predict(X)), "ratio")
    predicted = np.asarray(onnx_outputs(path, X)[0]).ravel()
    if task == "classifier":
        measure("accuracy_drop", accuracy_score(y, model.predict(X)) - accuracy_score(y, predicted), "")
    else:
        measure("r2_drop", r2_score(y, model.predict(X)) - r2_score(y, predicted.astype(float)), "")
