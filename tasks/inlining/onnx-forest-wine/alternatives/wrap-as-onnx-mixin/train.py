# alternative: skl2onnx's wrap_as_onnx_mixin gives the forest a to_onnx method; the export is a step of a small pipeline of functions
"""Random forest classifier for the wine data set."""
import numpy as np
from skl2onnx import wrap_as_onnx_mixin
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

ONNX_PATH = "wine_forest.onnx"


def load_data(seed=0):
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)


def train_model(X_train, y_train, seed=0):
    model = RandomForestClassifier(n_estimators=60, max_depth=6, random_state=seed)
    return model.fit(X_train, y_train)


def evaluate(model, X_test, y_test):
    return accuracy_score(y_test, model.predict(X_test))


def save_as_onnx(model, X_sample, path=ONNX_PATH):
    onnx_ready = wrap_as_onnx_mixin(model)
    onnx_model = onnx_ready.to_onnx(np.asarray(X_sample[:2], dtype=np.float32))
    with open(path, "wb") as f:
        f.write(onnx_model.SerializeToString())


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train_model(X_train, y_train)
    print(f"accuracy: {evaluate(model, X_test, y_test):.4f}")
    save_as_onnx(model, X_train)


if __name__ == "__main__":
    main()
