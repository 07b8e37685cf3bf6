"""optimise-quantise-static-regressor: regressor.onnx reproduces the scaled MLP (within 1e-4
relative); regressor.int8.onnx stores 8-bit weights, is under 40% of regressor.onnx, loses
at most 0.02 R² on the test split, and the printed int8_r2 is its own."""
import math
import os

import numpy as np
from sklearn.metrics import r2_score

from benchcheck import (
    assert_same_regressor, assert_same_score, fail, onnx_outputs, onnx_weight_types, program_output,
    require_success, score,
)

from train import Regressor  # the unmodified program's data and model

FP32_FILE, INT8_FILE, MAX_RATIO, TOLERANCE = "regressor.onnx", "regressor.int8.onnx", 0.40, 0.02

require_success()  # the program ran to the end, before anything else
assert_same_score("r2")
regressor = Regressor()
X_train, X_test, y_train, y_test = regressor.data()
regressor.fit(X_train, y_train)
assert_same_regressor(FP32_FILE, regressor.pipeline, X_test)

weights = onnx_weight_types(INT8_FILE)
if weights.get("INT8", 0) + weights.get("UINT8", 0) == 0:
    fail(f"{INT8_FILE} stores no 8-bit integer weights ({weights}): it is not quantised")
ratio = os.path.getsize(INT8_FILE) / os.path.getsize(FP32_FILE)
if ratio >= MAX_RATIO:
    fail(f"{INT8_FILE} is {ratio:.0%} of {FP32_FILE}, the bound is {MAX_RATIO:.0%}")

predicted = np.asarray(onnx_outputs(INT8_FILE, X_test)[0], dtype=float).ravel()
if predicted.shape != y_test.shape:
    fail(f"{INT8_FILE} returned {predicted.shape[0]} predictions for {y_test.shape[0]} rows")
r2, int8_r2 = regressor.r2(X_test, y_test), r2_score(y_test, predicted)
# graded later: size ratio (ratio), R² drop (r2 - int8_r2)
if int8_r2 < r2 - TOLERANCE:
    fail(f"quantised R² {int8_r2:.4f} is more than {TOLERANCE} below {r2:.4f}")
printed = score(program_output(), "int8_r2")
if not math.isclose(printed, int8_r2, abs_tol=1e-4):
    fail(f"printed int8_r2 {printed} but {INT8_FILE} scores {int8_r2:.4f}")
print("ok")
