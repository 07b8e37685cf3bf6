# alternative: joblib's lzma compression
"""k-nearest neighbours on the digits data set, saved with joblib; settings come from the
command line."""
import argparse
import os

import joblib
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-neighbors", type=int, default=3)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="distance")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--model", default="knn.joblib", help="where to save the fitted model")
    parser.add_argument("--small-model", default="knn_small.joblib", help="where to save the compressed copy")
    return parser.parse_args(argv)


def build(args):
    return make_pipeline(MinMaxScaler(), KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights))


def main(argv=None):
    args = parse_args(argv)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=args.seed, stratify=y)
    model = build(args).fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    joblib.dump(model, args.model)
    joblib.dump(model, args.small_model, compress=("lzma", 3))
    print(f"size_ratio: {os.path.getsize(args.small_model) / os.path.getsize(args.model):.4f}")


if __name__ == "__main__":
    main()
