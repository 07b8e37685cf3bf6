# mutant: the inputs and outputs are converted to float16 too, so the file no longer takes float32 features
"""A small neural network regressor on the Friedman #1 problem, exported to ONNX in float32
and in float16."""
import warnings

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.transformers.float16 import convert_float_to_float16
from onnxruntime.transformers.onnx_model import OnnxModel
from skl2onnx import to_onnx
from sklearn.datasets import make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor

FP32_FILE, FP16_FILE = "mlp.onnx", "mlp.fp16.onnx"


def load_data(seed=0):
    X, y = make_friedman1(n_samples=1200, n_features=10, noise=0.5, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed)


def train(X_train, y_train, seed=0):
    model = MLPRegressor(hidden_layer_sizes=(128, 64), max_iter=300, learning_rate_init=3e-3, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X_train, y_train)


def export(model, X_train):
    """float32 export, then the same graph with float16 weights (inputs and outputs stay float32)."""
    fp32 = to_onnx(model, X_train[:1].astype(np.float32))
    onnx.save_model(fp32, FP32_FILE)
    fp16 = OnnxModel(convert_float_to_float16(fp32))
    fp16.topological_sort()
    onnx.save_model(fp16.model, FP16_FILE)


def onnx_predict(path, X):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    dtype = np.float16 if session.get_inputs()[0].type == "tensor(float16)" else np.float32
    return session.run(None, {session.get_inputs()[0].name: X.astype(dtype)})[0].ravel().astype(np.float64)


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train(X_train, y_train)
    print(f"r2: {r2_score(y_test, model.predict(X_test)):.4f}")
    export(model, X_train)
    print(f"fp16_r2: {r2_score(y_test, onnx_predict(FP16_FILE, X_test)):.4f}")


if __name__ == "__main__":
    main()
