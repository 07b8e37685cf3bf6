# mutant: alerts.log is opened for writing, so each alert replaces the ones before
"""Fit a random-forest regressor on Friedman's problem #2 and report its test RMSE; with
--check BATCH, score a labelled batch and log an alert when its RMSE has risen."""
import argparse

import pandas as pd
from sklearn.datasets import make_friedman2
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

RISE = 1.5  # alert when the batch RMSE exceeds the test RMSE by this factor


def rmse(y_true, y_pred):
    return mean_squared_error(y_true, y_pred) ** 0.5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=120)
    parser.add_argument("--max-depth", type=int, default=12)
    parser.add_argument("--check", metavar="BATCH")
    args = parser.parse_args()

    X, y = make_friedman2(n_samples=1200, noise=20.0, random_state=0)
    X = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestRegressor(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=0)
    model.fit(X_train, y_train)
    test_rmse = rmse(y_test, model.predict(X_test))
    print(f"rmse: {test_rmse:.4f}")

    if args.check:
        batch = pd.read_csv(args.check)
        batch_rmse = rmse(batch["y"], model.predict(batch[X.columns]))
        print(f"batch_rmse: {batch_rmse:.4f}")
        if batch_rmse > RISE * test_rmse:
            with open("alerts.log", "w") as log:
                log.write(f"ALERT {args.check} rmse={batch_rmse:.4f} baseline={test_rmse:.4f}\n")


if __name__ == "__main__":
    main()
