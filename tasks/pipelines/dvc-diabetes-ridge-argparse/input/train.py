"""Polynomial ridge regression on the diabetes data set, configured from the command line."""
import argparse

from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--degree", type=int, default=2)
    parser.add_argument("--alpha", type=float, default=30.0)
    return parser.parse_args()


def main():
    args = parse_args()
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=args.seed)
    features = make_pipeline(StandardScaler(), PolynomialFeatures(degree=args.degree, include_bias=False))
    X_train = features.fit_transform(X_train)
    X_test = features.transform(X_test)
    model = Ridge(alpha=args.alpha).fit(X_train, y_train)
    predictions = model.predict(X_test)
    print(f"rmse: {mean_squared_error(y_test, predictions) ** 0.5:.4f}")
    print(f"r2: {r2_score(y_test, predictions):.4f}")


if __name__ == "__main__":
    main()
