"""ONNX exports. An ONNX task's program exports a scikit-learn model; the check runs the
file with onnxruntime and compares it with the model retrained. The file is checked and
run in the loader process (artifacts.py), never in the judge's: onnxruntime parses and
runs bytes the program chose (numpy is imported only when used)."""
from __future__ import annotations

import os

from .artifacts import LoaderError, _encode, _loader, from_data
from .judge import fail


def onnx_outputs(path: str, X) -> list:
    """Run the exported model on X, in the dtype its single input declares: its outputs,
    arrays (a ZipMap output: a list of {class: probability} dicts)."""
    import numpy as np

    if not os.path.isfile(path):
        fail(f"{path} was not written")
    request = {"op": "onnx_run", "path": os.path.abspath(path), "X": _encode(np.asarray(X))}
    try:
        answer = _loader().ask(request, path, raw=True)
    except LoaderError as error:
        fail(f"{path} cannot be run: {error}")
    if "fail" in answer:
        fail(f"{path} {answer['fail']}")
    try:
        outputs = from_data(answer["outputs"])
    except (KeyError, TypeError, ValueError, RecursionError):
        fail(f"the process running {path} answered garbage")
    if not isinstance(outputs, list):
        fail(f"the process running {path} answered no list of outputs")
    return outputs


def assert_same_classifier(path: str, model, X) -> None:
    """The ONNX file predicts the labels of the fitted classifier `model` on X, and its
    probabilities within 1e-4 (a ZipMap output is read in model.classes_ order)."""
    import numpy as np

    outputs = onnx_outputs(path, X)
    if len(outputs) < 2:
        fail(f"{path} has no probability output")
    labels, proba = np.asarray(outputs[0]).ravel(), outputs[1]
    if isinstance(proba, list):  # ZipMap output: one {class: probability} dict per row
        proba = np.array([[row[c] for c in model.classes_] for row in proba])
    if not np.array_equal(labels, model.predict(X)):
        fail(f"{path} predicts other classes than the scikit-learn model")
    diff = np.abs(np.asarray(proba, dtype=float) - model.predict_proba(X)).max()
    if diff > 1e-4:
        fail(f"{path} probabilities differ from scikit-learn's by {diff:.2e} (> 1e-4)")


def assert_same_regressor(path: str, model, X) -> None:
    """The ONNX file predicts what the fitted regressor `model` predicts on X, within 1e-4
    relative (absolute below 1)."""
    import numpy as np

    got = np.asarray(onnx_outputs(path, X)[0], dtype=float).ravel()
    want = model.predict(X).ravel()
    if got.shape != want.shape:
        fail(f"{path} returned {got.shape[0]} predictions for {want.shape[0]} rows")
    rel = (np.abs(got - want) / np.maximum(np.abs(want), 1.0)).max()
    if rel > 1e-4:
        fail(f"{path} predictions differ from scikit-learn's by {rel:.2e} relative (> 1e-4)")


def onnx_weight_types(path: str) -> dict:
    """The file's stored weights (initializers, subgraphs' too) as {ONNX data type name:
    element count}, e.g. {"INT8": 6144, "FLOAT": 96}: how a quantised or float16 model
    stores its weights. Parsed in the loader process; fail() if the file is not a valid
    ONNX model."""
    if not os.path.isfile(path):
        fail(f"{path} was not written")
    try:
        answer = _loader().ask({"op": "onnx_weights", "path": os.path.abspath(path)}, path, raw=True)
    except LoaderError as error:
        fail(f"{path} cannot be read: {error}")
    if "fail" in answer:
        fail(f"{path} {answer['fail']}")
    weights = answer.get("weights")
    if not isinstance(weights, dict) or not all(
        type(k) is str and type(v) is int and v >= 0 for k, v in weights.items()
    ):
        fail(f"the process reading {path} answered garbage")
    return weights
