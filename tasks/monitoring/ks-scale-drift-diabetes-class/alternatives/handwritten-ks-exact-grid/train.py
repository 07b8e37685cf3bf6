"""Diabetes progression with a ridge regression, wrapped in a class."""
import argparse
import csv
import math

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


class ProgressionModel:
    def __init__(self, alpha=0.3):
        self.ridge = Ridge(alpha=alpha)

    def fit(self, X, y):
        self.ridge.fit(X, y)
        return self

    def report(self, X, y):
        predicted = self.ridge.predict(X)
        print(f"r2: {r2_score(y, predicted):.4f}")
        print(f"rmse: {mean_squared_error(y, predicted) ** 0.5:.4f}")


def kolmogorov_smirnov(a, b):
    """Two-sample KS: D over the pooled values, Kolmogorov's asymptotic p-value."""
    a, b = np.sort(a), np.sort(b)
    pooled = np.union1d(a, b)
    cdf_a = np.searchsorted(a, pooled, side="right") / a.size
    cdf_b = np.searchsorted(b, pooled, side="right") / b.size
    d = float(np.abs(cdf_a - cdf_b).max())
    en = math.sqrt(a.size * b.size / (a.size + b.size))
    lam = (en + 0.12 + 0.11 / en) * d
    terms = [2 * (-1) ** (k - 1) * math.exp(-2 * (k * lam) ** 2) for k in range(1, 200)]
    return d, min(1.0, max(0.0, sum(terms)))


def read_columns(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {name: np.array([float(r[name]) for r in rows]) for name in rows[0]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--watch")
    args = parser.parse_args()
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3)
    ProgressionModel().fit(X_train, y_train).report(X_test, y_test)
    if args.watch:
        batch = read_columns(args.watch)
        for feature in X_train.columns:
            _, p = kolmogorov_smirnov(X_train[feature].to_numpy(), batch[feature])
            if p < 0.01:
                print(f"ALERT {feature}")
