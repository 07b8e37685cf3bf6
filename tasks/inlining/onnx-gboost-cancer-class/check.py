"""onnx-gboost-cancer-class: cancer_gboost.onnx, run by onnxruntime on the test split, gives
the booster's labels and class probabilities (within 1e-4)."""
from benchcheck import assert_same_classifier, assert_same_score, measure_onnx_model, require_success

from train import CancerBooster  # the unmodified program's model and split

ONNX_FILE = "cancer_gboost.onnx"

require_success()  # the program ran to the end, before anything else
for name in ("accuracy", "roc_auc"):
    assert_same_score(name)

booster = CancerBooster()
booster.train()  # deterministic: the same fitted booster as the program's
_, X_test, _, y_test = booster.split()
assert_same_classifier(ONNX_FILE, booster.model, X_test)
measure_onnx_model(ONNX_FILE, booster.model, X_test, y_test)  # graded: size, latency, accuracy
print("ok")
