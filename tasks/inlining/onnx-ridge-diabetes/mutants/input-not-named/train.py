# mutant: converted with to_onnx and a sample row, so the graph's input is named 'X', not 'input'
"""Polynomial ridge regression on the diabetes data set, exported to ONNX."""
import numpy as np
from skl2onnx import convert_sklearn
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
        n_features = self.X_train.shape[1]
        from skl2onnx import to_onnx

        onx = to_onnx(self.pipeline, self.X_train[:1].astype(np.float32))
        with open(path, "wb") as f:
            f.write(onx.SerializeToString())
        return path


if __name__ == "__main__":
    regressor = DiabetesRegressor().train()
    print(f"rmse: {regressor.rmse():.4f}")
    regressor.export_onnx()
