"""onnx-pipeline-argparse: cancer_pipeline.onnx (scaler, PCA, logistic regression), run by onnxruntime on the raw test
features, gives the pipeline's labels and probabilities (within 1e-4)."""
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from benchcheck import assert_same_classifier, assert_same_score, measure_onnx_model, require_success

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
    return clf.fit(X_train, y_train), X_test, y_test


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
model, X_test, y_test = reference_model()
assert_same_classifier(ONNX_FILE, model, X_test)
measure_onnx_model(ONNX_FILE, model, X_test, y_test)  # graded: size, latency, accuracy
print("ok")
