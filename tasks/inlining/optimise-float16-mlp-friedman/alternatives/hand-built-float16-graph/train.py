# alternative: the MLP's forward pass built by hand as a graph computing in float16
"""A small neural network regressor on the Friedman #1 problem, exported to ONNX in float32
and in float16."""
import warnings

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
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


def half_precision_graph(model, n_features):
    """The MLP's forward pass written as an ONNX graph that computes in float16:
    relu hidden layers, identity output, float32 in and out."""
    weights, nodes = [], [helper.make_node("Cast", ["X"], ["h0"], to=TensorProto.FLOAT16)]
    last = len(model.coefs_) - 1
    for i, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        weights += [numpy_helper.from_array(W.astype(np.float16), f"W{i}"),
                    numpy_helper.from_array(b.astype(np.float16), f"b{i}")]
        nodes += [helper.make_node("MatMul", [f"h{i}", f"W{i}"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}" if i < last else "out16"])]
        if i < last:
            nodes.append(helper.make_node("Relu", [f"a{i}"], [f"h{i + 1}"]))
    nodes.append(helper.make_node("Cast", ["out16"], ["variable"], to=TensorProto.FLOAT))
    graph = helper.make_graph(
        nodes, "mlp_fp16",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, n_features])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
        initializer=weights,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def export(model, X_train):
    onnx.save_model(to_onnx(model, X_train[:1].astype(np.float32)), FP32_FILE)
    onnx.save_model(half_precision_graph(model, X_train.shape[1]), FP16_FILE)


def onnx_predict(path, X):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X.astype(np.float32)})[0].ravel()


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train(X_train, y_train)
    print(f"r2: {r2_score(y_test, model.predict(X_test)):.4f}")
    export(model, X_train)
    print(f"fp16_r2: {r2_score(y_test, onnx_predict(FP16_FILE, X_test)):.4f}")


if __name__ == "__main__":
    main()
