"""Gradient boosting regression on a synthetic data set."""
import argparse

import numpy as np
from sklearn.datasets import make_regression
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-samples", type=int, default=400)
    parser.add_argument("--noise", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--max-depth", type=int, default=3)
    return parser.parse_args()


def main():
    args = parse_args()
    X, y = make_regression(
        n_samples=args.n_samples, n_features=10, noise=args.noise, random_state=args.seed
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=args.seed
    )
    print(f"n_train: {len(X_train)}")
    model = GradientBoostingRegressor(
        learning_rate=args.learning_rate, max_depth=args.max_depth, random_state=args.seed
    )
    model.fit(X_train, y_train)
    rmse = np.sqrt(mean_squared_error(y_test, model.predict(X_test)))
    print(f"rmse: {rmse:.4f}")


if __name__ == "__main__":
    main()
