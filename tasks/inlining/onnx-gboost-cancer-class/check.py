"""onnx-gboost-cancer-class: cancer_gboost.onnx, run by onnxruntime on the test split, gives
the booster's labels and class probabilities (within 1e-4)."""
from benchcheck import assert_same_classifier, assert_same_score, require_success

from train import CancerBooster  # the unmodified program's model and split

ONNX_FILE = "cancer_gboost.onnx"

require_success()  # the program ran to the end, before anything else
for name in ("accuracy", "roc_auc"):
    assert_same_score(name)

booster = CancerBooster()
booster.train()  # deterministic: the same fitted booster as the program's
X_test = booster.split()[1]
assert_same_classifier(ONNX_FILE, booster.model, X_test)
print("ok")
