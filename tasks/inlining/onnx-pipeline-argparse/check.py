"""onnx-pipeline-argparse: cancer_pipeline.onnx (scaler, PCA, logistic regression), run by onnxruntime on the raw test
features, gives the pipeline's labels and probabilities (within 1e-4)."""
import os

import numpy as np
import onnx
import onnxruntime as ort
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from benchcheck import assert_same_score, fail, require_success

ONNX_FILE = "cancer_pipeline.onnx"


def reference_model():
    """The original program's pipeline with its default arguments, retrained here."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    clf = Pipeline([
        ("scale", StandardScaler()),
        ("pca", PCA(n_components=8, random_state=0)),
        ("logreg", LogisticRegression(C=0.5, max_iter=1000)),
    ])
    return clf.fit(X_train, y_train), X_test


# ---- the same for every ONNX export task: run the file with onnxruntime ----

def onnx_outputs(path, X):
    """Run the exported model on X, in the dtype its single input declares."""
    if not os.path.isfile(path):
        fail(f"{path} was not written")
    try:
        onnx.checker.check_model(path)
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    except Exception as exc:  # any load error means the export is unusable
        fail(f"{path} is not a valid ONNX model: {exc}")
    inputs = sess.get_inputs()
    if len(inputs) != 1:
        fail(f"{path} has {len(inputs)} inputs, expected one feature matrix")
    dtype = {"tensor(float)": np.float32, "tensor(double)": np.float64}.get(inputs[0].type)
    if dtype is None:
        fail(f"{path} takes {inputs[0].type}, expected a float tensor")
    try:
        return sess.run(None, {inputs[0].name: X.astype(dtype)})
    except Exception as exc:
        fail(f"onnxruntime cannot run {path} on the test set: {exc}")


def assert_same_classifier(path, model, X):
    outputs = onnx_outputs(path, X)
    if len(outputs) < 2:
        fail(f"{path} has no probability output")
    labels, proba = np.asarray(outputs[0]).ravel(), outputs[1]
    if isinstance(proba, list):  # ZipMap output: one {class: probability} dict per row
        proba = np.array([[row[c] for c in model.classes_] for row in proba])
    if not np.array_equal(labels, model.predict(X)):
        fail(f"{path} predicts other classes than the scikit-learn model")
    diff = np.abs(np.asarray(proba, dtype=float) - model.predict_proba(X)).max()
    if diff > 1e-4:
        fail(f"{path} probabilities differ from scikit-learn's by {diff:.2e} (> 1e-4)")


def assert_same_regressor(path, model, X):
    got = np.asarray(onnx_outputs(path, X)[0], dtype=float).ravel()
    want = model.predict(X).ravel()
    if got.shape != want.shape:
        fail(f"{path} returned {got.shape[0]} predictions for {want.shape[0]} rows")
    rel = (np.abs(got - want) / np.maximum(np.abs(want), 1.0)).max()
    if rel > 1e-4:
        fail(f"{path} predictions differ from scikit-learn's by {rel:.2e} relative (> 1e-4)")


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
model, X_test = reference_model()
assert_same_classifier(ONNX_FILE, model, X_test)
print("ok")
