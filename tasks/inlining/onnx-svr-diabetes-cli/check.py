"""onnx-svr-diabetes-cli: diabetes_svr.onnx takes the raw features and, run by onnxruntime on
the test split, predicts what the scaler + SVR pipeline predicts (within 1e-4 relative)."""
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_regressor, assert_same_score, measure_onnx_model, require_success

from train import build, parse_args  # the unmodified program's pipeline and its defaults

ONNX_FILE = "diabetes_svr.onnx"

require_success()  # the program ran to the end, before anything else
for name in ("rmse", "r2"):
    assert_same_score(name)

args = parse_args([])
X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
model = build(args).fit(X_train, y_train)
assert_same_regressor(ONNX_FILE, model, X_test)
measure_onnx_model(ONNX_FILE, model, X_test, y_test, task="regressor")  # graded: size, latency, R² drop
print("ok")
