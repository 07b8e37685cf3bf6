# alternative: convert_sklearn with FloatTensorType initial types and the default ZipMap output, onnx.save_model
"""Random forest classifier for the wine data set."""
from pathlib import Path

import onnx
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def load_data(seed=0):
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)


def train_model(X_train, y_train, seed=0):
    model = RandomForestClassifier(n_estimators=60, max_depth=6, random_state=seed)
    return model.fit(X_train, y_train)


def evaluate(model, X_test, y_test):
    return accuracy_score(y_test, model.predict(X_test))


def export_onnx(model, X_sample, path="wine_forest.onnx"):
    """Convert the fitted forest; the graph takes float rows of X_sample's width."""
    n_features = X_sample.shape[1]
    onnx_model = convert_sklearn(model, "wine_forest", [("features", FloatTensorType([None, n_features]))])
    onnx.save_model(onnx_model, str(Path(path)))
    return path


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train_model(X_train, y_train)
    print(f"accuracy: {evaluate(model, X_test, y_test):.4f}")
    export_onnx(model, X_test)


if __name__ == "__main__":
    main()
