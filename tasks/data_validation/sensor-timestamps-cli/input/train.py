"""Fit a gradient-boosting model of y on the sensor log (readings plus sensor), train on
the earlier readings and test on the later ones; save it to sensor_model.joblib."""
import argparse
import os

import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

import dataset


def load(path):
    if not os.path.exists(path):
        dataset.export(path)  # the first run exports the log
    log = pd.read_csv(path)
    features = pd.get_dummies(log["sensor"], prefix="sensor", dtype=float).join(log[dataset.READINGS])
    return features, log["y"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", default="sensors.csv")
    parser.add_argument("--learning-rate", type=float, default=0.1)
    args = parser.parse_args()
    X, y = load(args.log)
    cut = int(len(X) * 0.8)  # time order: the last 20 % is the test period
    model = GradientBoostingRegressor(learning_rate=args.learning_rate, random_state=0).fit(X[:cut], y[:cut])
    print(f"mae: {mean_absolute_error(y[cut:], model.predict(X[cut:])):.4f}")
    joblib.dump(model, "sensor_model.joblib")


if __name__ == "__main__":
    main()
