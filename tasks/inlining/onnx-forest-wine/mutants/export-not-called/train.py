# mutant: export_onnx is defined but main() never calls it, so no ONNX file is written
"""Random forest classifier for the wine data set, exported to ONNX."""
import numpy as np
from skl2onnx import to_onnx
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
    # zipmap=False: probabilities as a plain (n, n_classes) array.
    onx = to_onnx(model, X_sample[:1].astype(np.float32), options={id(model): {"zipmap": False}})
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train_model(X_train, y_train)
    print(f"accuracy: {evaluate(model, X_test, y_test):.4f}")


if __name__ == "__main__":
    main()
