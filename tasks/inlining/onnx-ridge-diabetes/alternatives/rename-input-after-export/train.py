# alternative: to_onnx on a sample row (input 'X'), then the graph's input renamed to 'input' with the onnx protobuf API before saving
"""Polynomial ridge regression on the diabetes data set."""
import numpy as np
import onnx
from skl2onnx import to_onnx
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler


def rename_input(model, new_name):
    """Give the graph's single input a new name, and every node that reads it."""
    (graph_input,) = model.graph.input
    old_name, graph_input.name = graph_input.name, new_name
    for node in model.graph.node:
        node.input[:] = [new_name if name == old_name else name for name in node.input]
    onnx.checker.check_model(model)
    return model


class DiabetesRegressor:
    """Trains and scores one regression pipeline."""

    def __init__(self, alpha=30.0, seed=5):
        self.pipeline = make_pipeline(
            PolynomialFeatures(degree=2), StandardScaler(), Ridge(alpha=alpha)
        )
        X, y = load_diabetes(return_X_y=True)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed
        )

    def train(self):
        self.pipeline.fit(self.X_train, self.y_train)
        return self

    def rmse(self):
        predictions = self.pipeline.predict(self.X_test)
        return float(np.sqrt(mean_squared_error(self.y_test, predictions)))

    def save_onnx(self, path="diabetes_ridge.onnx"):
        exported = to_onnx(self.pipeline, self.X_train[:1].astype(np.float32))
        onnx.save(rename_input(exported, "input"), path)


if __name__ == "__main__":
    regressor = DiabetesRegressor().train()
    print(f"rmse: {regressor.rmse():.4f}")
    regressor.save_onnx()
