"""Fit a random-forest regressor on Friedman's problem #2 and report its test RMSE."""
import argparse

import pandas as pd
from sklearn.datasets import make_friedman2
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=120)
    parser.add_argument("--max-depth", type=int, default=12)
    args = parser.parse_args()

    X, y = make_friedman2(n_samples=1200, noise=20.0, random_state=0)
    X = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestRegressor(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=0)
    model.fit(X_train, y_train)
    print(f"rmse: {mean_squared_error(y_test, model.predict(X_test)) ** 0.5:.4f}")


if __name__ == "__main__":
    main()
