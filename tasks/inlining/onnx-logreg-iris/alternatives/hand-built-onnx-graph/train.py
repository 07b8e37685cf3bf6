# alternative: no converter; the graph (MatMul, Add, Softmax, ArgMax, Gather) written with onnx.helper from the fitted coefficients
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=1)

model = LogisticRegression(C=0.5, max_iter=1000)
model.fit(X_train, y_train)
print(f"accuracy: {model.score(X_test, y_test):.4f}")


def logreg_graph(fitted):
    """Multinomial logistic regression: softmax(X W + b); the label is the class of the top score."""
    n_features, n_classes = fitted.coef_.shape[1], fitted.coef_.shape[0]
    weights = [
        numpy_helper.from_array(fitted.coef_.T.astype(np.float32), "coef"),
        numpy_helper.from_array(fitted.intercept_.astype(np.float32), "intercept"),
        numpy_helper.from_array(fitted.classes_.astype(np.int64), "classes"),
    ]
    nodes = [
        helper.make_node("MatMul", ["X", "coef"], ["xw"]),
        helper.make_node("Add", ["xw", "intercept"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1),
        helper.make_node("ArgMax", ["scores"], ["best"], axis=1, keepdims=0),
        helper.make_node("Gather", ["classes", "best"], ["label"], axis=0),
    ]
    graph = helper.make_graph(
        nodes, "iris_logreg",
        inputs=[helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, n_features])],
        outputs=[
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, n_classes]),
        ],
        initializer=weights,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(onnx_model)
    return onnx_model


onnx.save(logreg_graph(model), "iris_logreg.onnx")
