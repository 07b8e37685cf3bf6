"""benchcheck's helpers for model-optimisation checks: the stored weight types of an ONNX
file (quantised, float16), and scikit-learn models whose coefficients are scipy sparse
matrices, both read in the loader process with the real libraries (the task venv or the
sandbox image, as in test_benchcheck.py)."""
from __future__ import annotations

import pytest
import test_benchcheck
from test_benchcheck import IMAGE_MISSING, TASKENV, _libraries, _run

# The same sample runner as test_benchcheck.py (the task venv, else the sandbox image).
host_runner = getattr(test_benchcheck, "_taskenv_runner", None) or test_benchcheck._image_runner

needs_onnx = pytest.mark.skipif(
    not _libraries("onnx", "onnxruntime", "skl2onnx", "sklearn"),
    reason=f"no onnx/skl2onnx in the task venv {TASKENV} and {IMAGE_MISSING}",
)

# A float32 MLP, its dynamic 8-bit quantisation, and a file that is not ONNX.
QUANTISED_PROGRAM = """\
import warnings
import numpy as np
from onnxruntime.quantization import QuantType, quantize_dynamic
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.neural_network import MLPClassifier

warnings.simplefilter("ignore")
X, y = load_iris(return_X_y=True)
mlp = MLPClassifier(hidden_layer_sizes=(64,), max_iter=50, random_state=0).fit(X, y)
with open("mlp.onnx", "wb") as f:
    f.write(to_onnx(mlp, X[:1].astype(np.float32)).SerializeToString())
quantize_dynamic("mlp.onnx", "mlp.int8.onnx", weight_type=QuantType.QInt8)
with open("junk.onnx", "wb") as f:
    f.write(b"not a model")
print("score: 1")
"""


@needs_onnx
def test_onnx_weight_types_counts_stored_elements_by_type(make_task, host_runner):
    check = """\
from benchcheck import onnx_weight_types
fp32, int8 = onnx_weight_types("mlp.onnx"), onnx_weight_types("mlp.int8.onnx")
# 4 x 64 + 64 x 3 weights and 64 + 3 biases, all float32 in the export
assert fp32.get("FLOAT", 0) >= 4 * 64 + 64 * 3 + 64 + 3, fp32
assert "INT8" not in fp32 and "UINT8" not in fp32, fp32
assert int8.get("INT8", 0) >= 4 * 64 + 64 * 3, int8
assert int8.get("FLOAT", 0) < fp32["FLOAT"], (int8, fp32)
print("counted", flush=True)
onnx_weight_types("junk.onnx")
"""
    result = _run(make_task, host_runner, QUANTISED_PROGRAM, check)
    assert result.stdout == "counted\n", result.stderr
    assert result.exit_code == 1
    assert "CHECK FAILED: junk.onnx is not a valid ONNX model" in result.stderr


@needs_onnx
def test_onnx_weight_types_needs_the_file(make_task, host_runner):
    check = 'from benchcheck import onnx_weight_types\nonnx_weight_types("missing.onnx")\n'
    result = _run(make_task, host_runner, QUANTISED_PROGRAM, check)
    assert result.exit_code == 1
    assert "CHECK FAILED: missing.onnx was not written" in result.stderr


needs_sklearn = pytest.mark.skipif(
    not _libraries("sklearn", "skops", "scipy", "joblib"), reason=f"no skops in the task venv {TASKENV} and {IMAGE_MISSING}"
)

SPARSE_PROGRAM = """\
import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

X, y = load_iris(return_X_y=True)
model = LogisticRegression(l1_ratio=1.0, solver="saga", C=0.05, max_iter=5000).fit(X, y)
joblib.dump(model.sparsify(), "sparse.joblib")
print("score: 1")
"""


@needs_sklearn
def test_a_sparsified_model_loads_as_itself_with_its_sparse_coefficients(make_task, host_runner):
    check = """\
import scipy.sparse
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from benchcheck import load_artifact
X, y = load_iris(return_X_y=True)
model = load_artifact("joblib", "sparse.joblib")
assert isinstance(model, LogisticRegression), type(model)   # rebuilt here by skops, not a Remote
assert scipy.sparse.issparse(model.coef_), type(model.coef_)
assert model.coef_.shape == (3, 4)
expected = LogisticRegression(l1_ratio=1.0, solver="saga", C=0.05, max_iter=5000).fit(X, y)
assert (model.predict(X) == expected.predict(X)).all()
print("sparse")
"""
    result = _run(make_task, host_runner, SPARSE_PROGRAM, check)
    assert result.ok, result.stderr
    assert result.stdout == "sparse\n"


needs_mlflow = pytest.mark.skipif(not _libraries("mlflow", "sklearn"), reason=f"no mlflow in the task venv {TASKENV} and {IMAGE_MISSING}")

# A custom Python model (no raw scikit-learn model inside) in a run of the file store.
PYFUNC_PROGRAM = """\
import mlflow
import mlflow.pyfunc


class Double(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return [2.0 * float(v) for v in model_input["x"]]


mlflow.set_tracking_uri("file:./mlruns")
with mlflow.start_run() as run:
    mlflow.pyfunc.log_model(name="model", python_model=Double())
print(f"run: {run.info.run_id}")
print("score: 1")
"""


@needs_mlflow
def test_a_custom_python_model_loads_as_a_remote_pyfunc(make_task, host_runner):
    # Its get_raw_model raises NotImplementedError: the loader keeps the pyfunc model itself.
    check = """\
import re
import pandas as pd
from benchcheck import Remote, mlflow_file_store, mlflow_model, program_output
mlflow_file_store()
run_id = re.search(r"run: (\\w+)", program_output()).group(1)
model = mlflow_model(f"runs:/{run_id}/model", "pyfunc")
assert isinstance(model, Remote), type(model)
assert model.predict(pd.DataFrame({"x": [1.0, 2.5]})) == [2.0, 5.0]
print("pyfunc")
"""
    result = _run(make_task, host_runner, PYFUNC_PROGRAM, check)
    assert result.ok, result.stderr
    assert result.stdout == "pyfunc\n"
