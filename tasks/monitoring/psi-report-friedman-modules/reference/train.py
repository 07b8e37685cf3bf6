"""Train the Friedman regressor and print its test scores; with --monitor BATCH, also
write a population-stability report of the batch's inputs against the training inputs."""
import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

import data
import model as regressor

BINS = 10
FLOOR = 1e-4  # an empty bin's share, so that the logarithm stays finite
THRESHOLD = 0.2


def psi(reference, current):
    """Population stability index over the reference's deciles (outer bins open-ended)."""
    edges = np.quantile(reference, np.linspace(0, 1, BINS + 1)[1:-1])
    expected = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=BINS) / len(reference)
    actual = np.bincount(np.searchsorted(edges, current, side="right"), minlength=BINS) / len(current)
    expected, actual = np.clip(expected, FLOOR, None), np.clip(actual, FLOOR, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def monitor(X_train, path):
    batch = pd.read_csv(path)
    values = {column: psi(X_train[column].to_numpy(), batch[column].to_numpy()) for column in data.FEATURES}
    report = {"psi": values, "drifted": [c for c, v in values.items() if v > THRESHOLD]}
    Path(path).with_suffix(".psi.json").write_text(json.dumps(report, indent=2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--monitor", metavar="BATCH")
    args = parser.parse_args()
    X_train, X_test, y_train, y_test = data.split()
    model = regressor.build().fit(X_train, y_train)
    for name, value in regressor.scores(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")
    if args.monitor:
        monitor(X_train, args.monitor)


if __name__ == "__main__":
    main()
