# alternative: static quantisation (quantize_static, QDQ format) of the MatMul weights and activations, calibrated on training rows
"""A small multi-layer perceptron on the digits data set."""
import warnings

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from skl2onnx import to_onnx
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier


def load_data():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0  # pixel intensities 0..16 -> 0..1
    return train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)


def train(X_train, y_train):
    mlp = MLPClassifier(hidden_layer_sizes=(96,), max_iter=60, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return mlp.fit(X_train, y_train)


class Batches(CalibrationDataReader):
    """Training rows in batches of 64, as the graph's input, for the activation ranges."""

    def __init__(self, input_name, X, size=64):
        X = X.astype(np.float32)
        self.feeds = iter([{input_name: X[i:i + size]} for i in range(0, len(X), size)])

    def get_next(self):
        return next(self.feeds, None)


def labels(path, X):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X.astype(np.float32)})[0]


if __name__ == "__main__":
    X_train, X_test, y_train, y_test = load_data()
    mlp = train(X_train, y_train)
    print(f"accuracy: {mlp.score(X_test, y_test):.4f}")

    onx = to_onnx(mlp, X_train[:1].astype(np.float32), options={id(mlp): {"zipmap": False}})
    with open("mlp.onnx", "wb") as f:
        f.write(onx.SerializeToString())
    quantize_static(
        "mlp.onnx", "mlp.int8.onnx", Batches(onx.graph.input[0].name, X_train),
        quant_format=QuantFormat.QDQ, op_types_to_quantize=["MatMul"],
        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
    )
    int8_accuracy = float(np.mean(labels("mlp.int8.onnx", X_test) == y_test))
    print(f"int8_accuracy: {int8_accuracy:.4f}")
