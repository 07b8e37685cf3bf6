"""onnx-ridge-diabetes: diabetes_ridge.onnx (the whole pipeline), run by onnxruntime on
the raw test features, predicts what the scikit-learn pipeline predicts (1e-4 relative)."""
import onnx
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from benchcheck import assert_same_regressor, assert_same_score, fail, measure_onnx_model, require_success

ONNX_FILE = "diabetes_ridge.onnx"


def reference_model():
    """The original program's pipeline, retrained here (it is deterministic)."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5)
    pipeline = make_pipeline(PolynomialFeatures(degree=2), StandardScaler(), Ridge(alpha=30.0))
    return pipeline.fit(X_train, y_train), X_test, y_test


require_success()  # the program ran to the end, before anything else
assert_same_score("rmse")
model, X_test, y_test = reference_model()
assert_same_regressor(ONNX_FILE, model, X_test)
names = [i.name for i in onnx.load(ONNX_FILE).graph.input]
if names != ["input"]:
    fail(f"the graph's inputs are {names}, expected one named 'input'")
measure_onnx_model(ONNX_FILE, model, X_test, y_test, task="regressor")  # graded: size, latency, r2
print("ok")
