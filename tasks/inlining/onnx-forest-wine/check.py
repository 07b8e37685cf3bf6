"""onnx-forest-wine: wine_forest.onnx, run by onnxruntime on the test split, gives the
random forest's labels and probabilities (within 1e-4)."""
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_classifier, assert_same_score, measure_onnx_model, require_success

ONNX_FILE = "wine_forest.onnx"


def reference_model():
    """The original program's model, retrained here (it is deterministic)."""
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    model = RandomForestClassifier(n_estimators=60, max_depth=6, random_state=0)
    return model.fit(X_train, y_train), X_test, y_test


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
model, X_test, y_test = reference_model()
assert_same_classifier(ONNX_FILE, model, X_test)
measure_onnx_model(ONNX_FILE, model, X_test, y_test)  # graded: size, latency, accuracy
print("ok")
