"""Fit a random-forest regressor on Friedman's problem #2 and report its test RMSE."""
import argparse
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_friedman2
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split


class RmseMonitor:
    def __init__(self, model, baseline, factor=1.5, log=Path("alerts.log")):
        self.model, self.baseline, self.factor, self.log = model, baseline, factor, log

    def check(self, path):
        batch = pd.read_csv(path)
        errors = batch["y"].to_numpy() - self.model.predict(batch[["x0", "x1", "x2", "x3"]])
        value = float(np.sqrt(np.mean(errors ** 2)))
        if value > self.factor * self.baseline:
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            with self.log.open("a") as handle:
                handle.write(f"{stamp} rmse alert for {path}: {value:.3f} > {self.factor} x {self.baseline:.3f}\n")
        return value


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
    baseline = float(np.sqrt(np.mean((y_test - model.predict(X_test)) ** 2)))
    print(f"rmse: {baseline:.4f}")
    if args.check:
        print(f"batch_rmse: {RmseMonitor(model, baseline).check(args.check):.4f}")


if __name__ == "__main__":
    main()
