# mutant: mlp.int8.onnx is a plain copy of mlp.onnx; quantize_dynamic is never called
"""A small multi-layer perceptron on the digits data set, exported to ONNX
and quantised to 8-bit weights for deployment."""
import warnings

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic
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


def export(mlp, X_sample, path="mlp.onnx", quantised_path="mlp.int8.onnx"):
    onx = to_onnx(mlp, X_sample[:1].astype(np.float32), options={id(mlp): {"zipmap": False}})
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())
    # Dynamic quantisation: weights stored as int8, activations quantised at run time.
    import shutil

    shutil.copyfile(path, quantised_path)
    return quantised_path


def onnx_accuracy(path, X, y):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    labels = sess.run(None, {sess.get_inputs()[0].name: X.astype(np.float32)})[0]
    return float(np.mean(labels == y))


if __name__ == "__main__":
    X_train, X_test, y_train, y_test = load_data()
    mlp = train(X_train, y_train)
    print(f"accuracy: {mlp.score(X_test, y_test):.4f}")
    quantised = export(mlp, X_train)
    print(f"int8_accuracy: {onnx_accuracy(quantised, X_test, y_test):.4f}")
