"""optimise-float16-mlp-friedman: mlp.onnx reproduces the MLP (within 1e-4 relative);
mlp.fp16.onnx stores its weights in float16, takes float32 features, is under 70% of
mlp.onnx, predicts within 1e-2 relative of the MLP, and its printed R² is its own."""
import math
import os

import numpy as np
from sklearn.metrics import r2_score

from benchcheck import (
    assert_same_regressor, assert_same_score, fail, onnx_outputs, onnx_weight_types, program_output,
    require_success, score,
)

from train import load_data, train  # the unmodified program's data and model

FP32_FILE, FP16_FILE = "mlp.onnx", "mlp.fp16.onnx"
MAX_RATIO, MIN_HALF_SHARE, TOLERANCE = 0.70, 0.90, 1e-2
FLOAT_TYPES = ("FLOAT", "FLOAT16", "DOUBLE", "BFLOAT16")

require_success()  # the program ran to the end, before anything else
assert_same_score("r2")
X_train, X_test, y_train, y_test = load_data()
model = train(X_train, y_train)
assert_same_regressor(FP32_FILE, model, X_test)

weights = onnx_weight_types(FP16_FILE)
floats = sum(weights.get(kind, 0) for kind in FLOAT_TYPES)
half_share = weights.get("FLOAT16", 0) / floats if floats else 0.0
if half_share < MIN_HALF_SHARE:
    fail(f"{FP16_FILE} stores {half_share:.0%} of its float weights as float16 ({weights}), "
         f"expected at least {MIN_HALF_SHARE:.0%}")
ratio = os.path.getsize(FP16_FILE) / os.path.getsize(FP32_FILE)
if ratio >= MAX_RATIO:
    fail(f"{FP16_FILE} is {ratio:.0%} of {FP32_FILE}, the bound is {MAX_RATIO:.0%}")
# graded later: size ratio (ratio), R² drop (r2 - fp16_r2)

half = np.asarray(onnx_outputs(FP16_FILE, X_test)[0], dtype=float).ravel()
want = model.predict(X_test)
if half.shape != want.shape:
    fail(f"{FP16_FILE} returned {half.shape[0]} predictions for {want.shape[0]} rows")
rel = float((np.abs(half - want) / np.maximum(np.abs(want), 1.0)).max())
if rel > TOLERANCE:
    fail(f"{FP16_FILE} predictions differ from the MLP's by {rel:.2e} relative (> {TOLERANCE})")
fp16_r2 = r2_score(y_test, half)
printed = score(program_output(), "fp16_r2")
if not math.isclose(printed, fp16_r2, abs_tol=1e-4):
    fail(f"printed fp16_r2 {printed} but {FP16_FILE} scores {fp16_r2:.4f}")
print("ok")
