"""Fit a random-forest regressor on Friedman's problem #2 and report its test RMSE."""
import argparse
import logging

import pandas as pd
from sklearn.datasets import make_friedman2
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import train_test_split

alerts = logging.getLogger("alerts")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=120)
    parser.add_argument("--max-depth", type=int, default=12)
    parser.add_argument("--check")
    args = parser.parse_args()

    X, y = make_friedman2(n_samples=1200, noise=20.0, random_state=0)
    X = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestRegressor(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=0)
    model.fit(X_train, y_train)
    baseline = root_mean_squared_error(y_test, model.predict(X_test))
    print(f"rmse: {baseline:.4f}")
    if not args.check:
        return
    handler = logging.FileHandler("alerts.log", mode="a")
    handler.setFormatter(logging.Formatter("ALERT %(message)s"))
    alerts.addHandler(handler)
    alerts.setLevel(logging.WARNING)
    batch = pd.read_csv(args.check)
    current = root_mean_squared_error(batch["y"], model.predict(batch.drop(columns="y")))
    print(f"batch_rmse: {current:.4f}")
    if current / baseline > 1.5:
        alerts.warning("%s rmse %.3f is %.2fx the test rmse", args.check, current, current / baseline)


if __name__ == "__main__":
    main()
