# alternative: convert_sklearn with initial types, in-memory model saved with onnx.save, uint8 per-channel dynamic quantisation
"""A small multi-layer perceptron on the digits data set."""
import warnings

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

FP32_PATH, INT8_PATH = "mlp.onnx", "mlp.int8.onnx"


def load_data():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0  # pixel intensities 0..16 -> 0..1
    return train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)


def train(X_train, y_train):
    mlp = MLPClassifier(hidden_layer_sizes=(96,), max_iter=60, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return mlp.fit(X_train, y_train)


def predict_labels(path, X):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (input_,) = session.get_inputs()
    return session.run([session.get_outputs()[0].name], {input_.name: X.astype(np.float32)})[0]


if __name__ == "__main__":
    X_train, X_test, y_train, y_test = load_data()
    mlp = train(X_train, y_train)
    print(f"accuracy: {mlp.score(X_test, y_test):.4f}")

    fp32 = convert_sklearn(mlp, initial_types=[("pixels", FloatTensorType([None, X_train.shape[1]]))])
    onnx.save(fp32, FP32_PATH)
    quantize_dynamic(FP32_PATH, INT8_PATH, weight_type=QuantType.QUInt8, per_channel=True)
    int8_accuracy = float(np.mean(predict_labels(INT8_PATH, X_test) == y_test))
    print(f"int8_accuracy: {int8_accuracy:.4f}")
