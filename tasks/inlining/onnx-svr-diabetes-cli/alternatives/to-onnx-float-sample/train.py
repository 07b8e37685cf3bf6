# alternative: to_onnx with a float32 sample row instead of declared input types
"""Support vector regression on the diabetes data set; settings come from the command line."""
import argparse

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from skl2onnx import to_onnx


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--c", type=float, default=60.0)
    parser.add_argument("--epsilon", type=float, default=5.0)
    parser.add_argument("--gamma", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--onnx", default="diabetes_svr.onnx", help="where to write the ONNX export")
    return parser.parse_args(argv)


def build(args):
    return Pipeline([
        ("scale", StandardScaler()),
        ("svr", SVR(kernel="rbf", C=args.c, epsilon=args.epsilon, gamma=args.gamma)),
    ])


def main(argv=None):
    args = parse_args(argv)
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    model = build(args).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"rmse: {np.sqrt(mean_squared_error(y_test, predictions)):.4f}")
    print(f"r2: {r2_score(y_test, predictions):.4f}")
    export(model, X_train[:1].astype(np.float32), args.onnx)


def export(model, sample, path):
    """The whole pipeline as ONNX; the float32 sample row fixes the input's type and width."""
    onx = to_onnx(model, sample)
    with open(path, "wb") as handle:
        handle.write(onx.SerializeToString())


if __name__ == "__main__":
    main()
