# alternative: the pipeline converted in double precision (to_onnx on a float64 sample, DoubleTensorType input), probabilities as a plain tensor, saved with onnx.save_model
"""Scaling, PCA and logistic regression on the breast cancer data set."""
import argparse

import onnx
from skl2onnx import to_onnx
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=0.5)
    parser.add_argument("--n-components", type=int, default=8)
    parser.add_argument("--test-size", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--onnx-path", default="cancer_pipeline.onnx")
    return parser.parse_args()


def main():
    args = parse_args()
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, random_state=args.seed, stratify=y
    )
    clf = Pipeline([
        ("scale", StandardScaler()),
        ("pca", PCA(n_components=args.n_components, random_state=args.seed)),
        ("logreg", LogisticRegression(C=args.C, max_iter=1000)),
    ])
    clf.fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, clf.predict(X_test)):.4f}")

    # X_train is float64, so the graph computes in double precision end to end.
    graph = to_onnx(clf, X_train[:1], options={id(clf.named_steps["logreg"]): {"zipmap": False}})
    onnx.save_model(graph, args.onnx_path)


if __name__ == "__main__":
    main()
