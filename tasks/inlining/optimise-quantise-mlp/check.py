"""optimise-quantise-mlp: mlp.onnx reproduces the MLP (labels, probabilities within 1e-4);
mlp.int8.onnx holds 8-bit weights, is under 40% of mlp.onnx and loses at most 0.01 accuracy."""
import math
import os
import warnings

import numpy as np
import onnx
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from benchcheck import (
    assert_same_classifier, assert_same_score, fail, measure, onnx_outputs, onnx_seconds, program_output,
    require_success, score, seconds_per_call,
)

FP32_FILE, INT8_FILE, MAX_RATIO, TOLERANCE = "mlp.onnx", "mlp.int8.onnx", 0.40, 0.01
EIGHT_BIT = {onnx.TensorProto.INT8, onnx.TensorProto.UINT8}


def reference_model():
    """The original program's MLP, retrained here (it is deterministic)."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, test_size=0.25, random_state=2, stratify=y
    )
    mlp = MLPClassifier(hidden_layer_sizes=(96,), max_iter=60, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return mlp.fit(X_train, y_train), X_test, y_test


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
mlp, X_test, y_test = reference_model()
assert_same_classifier(FP32_FILE, mlp, X_test)

int8_labels = np.asarray(onnx_outputs(INT8_FILE, X_test)[0]).ravel()
weights = onnx.load(INT8_FILE).graph.initializer
if not any(w.data_type in EIGHT_BIT for w in weights):
    fail(f"{INT8_FILE} stores no 8-bit integer weights: it is not quantised")
ratio = os.path.getsize(INT8_FILE) / os.path.getsize(FP32_FILE)
measure("size_ratio", ratio, "ratio")  # graded: int8 file / float file
if ratio >= MAX_RATIO:
    fail(f"{INT8_FILE} is {ratio:.0%} of {FP32_FILE}, the bound is {MAX_RATIO:.0%}")
accuracy, int8_accuracy = mlp.score(X_test, y_test), float(np.mean(int8_labels == y_test))
measure("accuracy_drop", accuracy - int8_accuracy)
int8_seconds = onnx_seconds(INT8_FILE, X_test)  # graded: against the MLP and against mlp.onnx
fp32_seconds = onnx_seconds(FP32_FILE, X_test)
if int8_seconds > 0:  # 0: too fast to resolve on the judge's clock, left out
    measure("latency_ratio", int8_seconds / seconds_per_call(lambda: mlp.predict(X_test)), "ratio")
    if fp32_seconds > 0:
        measure("latency_ratio_fp32", int8_seconds / fp32_seconds, "ratio")
if int8_accuracy < accuracy - TOLERANCE:
    fail(f"quantised accuracy {int8_accuracy:.4f} is more than {TOLERANCE} below "
         f"{accuracy:.4f}")
printed = score(program_output(), "int8_accuracy")
if not math.isclose(printed, int8_accuracy, abs_tol=1e-4):
    fail(f"printed int8_accuracy {printed} but {INT8_FILE} scores {int8_accuracy:.4f}")
print("ok")
