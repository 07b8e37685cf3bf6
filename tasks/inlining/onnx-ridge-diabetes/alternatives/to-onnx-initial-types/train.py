# alternative: to_onnx with initial_types naming the input, written with onnx.save_model, path returned as Path
"""Polynomial ridge regression on the diabetes data set."""
from pathlib import Path

import numpy as np
import onnx
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler


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

    def export_onnx(self, path="diabetes_ridge.onnx"):
        graph = to_onnx(
            self.pipeline,
            initial_types=[("input", FloatTensorType([None, self.pipeline.n_features_in_]))],
        )
        onnx.save_model(graph, path)
        return Path(path)


if __name__ == "__main__":
    regressor = DiabetesRegressor()
    regressor.train()
    print(f"rmse: {regressor.rmse():.4f}")
    regressor.export_onnx()
