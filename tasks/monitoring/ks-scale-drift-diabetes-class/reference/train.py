"""Diabetes progression with a ridge regression, wrapped in a class; with --watch BATCH,
the batch's features are compared with the training features and drifted ones alerted."""
import argparse

import pandas as pd
from scipy.stats import ks_2samp
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


class ProgressionModel:
    def __init__(self, alpha=0.3):
        self.ridge = Ridge(alpha=alpha)

    def fit(self, X, y):
        self.ridge.fit(X, y)
        self.reference = X.copy()  # what "no drift" looks like
        return self

    def report(self, X, y):
        predicted = self.ridge.predict(X)
        print(f"r2: {r2_score(y, predicted):.4f}")
        print(f"rmse: {mean_squared_error(y, predicted) ** 0.5:.4f}")

    def drifted(self, batch, alpha=0.01):
        return [c for c in self.reference.columns if ks_2samp(self.reference[c], batch[c]).pvalue < alpha]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--watch", metavar="BATCH")
    args = parser.parse_args()
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3)
    model = ProgressionModel().fit(X_train, y_train)
    model.report(X_test, y_test)
    if args.watch:
        for feature in model.drifted(pd.read_csv(args.watch)):
            print(f"ALERT {feature}")
