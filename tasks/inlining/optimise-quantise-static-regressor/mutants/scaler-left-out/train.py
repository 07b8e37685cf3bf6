# mutant: only the MLP step is exported and quantised, the scaler is left out of the graph
"""A scaled MLP regressor on a synthetic regression problem, wrapped in a class, exported to
ONNX and quantised to 8 bits with calibration data."""
import warnings

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from skl2onnx import to_onnx
from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FP32_FILE, INT8_FILE = "regressor.onnx", "regressor.int8.onnx"


class Regressor:
    def __init__(self, hidden=(256,), seed=7):
        self.seed = seed
        self.pipeline = make_pipeline(
            StandardScaler(),
            MLPRegressor(hidden_layer_sizes=hidden, max_iter=150, learning_rate_init=2e-3, random_state=seed),
        )

    def data(self):
        X, y = make_regression(n_samples=2000, n_features=40, n_informative=25, noise=8.0, random_state=self.seed)
        return train_test_split(X, y, test_size=0.2, random_state=self.seed)

    def fit(self, X_train, y_train):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.pipeline.fit(X_train, y_train)
        return self

    def r2(self, X, y):
        return self.pipeline.score(X, y)

    def export(self, X_train):
        """The whole pipeline in float32, then statically quantised (QDQ, int8), calibrated
        on training rows."""
        onx = to_onnx(self.pipeline[-1], X_train[:1].astype(np.float32))
        with open(FP32_FILE, "wb") as handle:
            handle.write(onx.SerializeToString())
        quantize_static(
            FP32_FILE, INT8_FILE, TrainingRows(onx.graph.input[0].name, X_train[:500]),
            quant_format=QuantFormat.QDQ, weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8,
        )


class TrainingRows(CalibrationDataReader):
    """Feeds the calibration pass training rows in batches of 50."""

    def __init__(self, input_name, X):
        self.batches = iter([{input_name: X[i:i + 50].astype(np.float32)} for i in range(0, len(X), 50)])

    def get_next(self):
        return next(self.batches, None)


def onnx_predict(path, X):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X.astype(np.float32)})[0].ravel()


if __name__ == "__main__":
    regressor = Regressor()
    X_train, X_test, y_train, y_test = regressor.data()
    regressor.fit(X_train, y_train)
    print(f"r2: {regressor.r2(X_test, y_test):.4f}")
    regressor.export(X_train)
    print(f"int8_r2: {r2_score(y_test, onnx_predict(INT8_FILE, X_test)):.4f}")
