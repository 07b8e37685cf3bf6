"""Train the Friedman regressor and print its test scores."""
import argparse
import json
import os

import numpy as np

import data
import model as regressor


class StabilityMonitor:
    def __init__(self, reference, bins=10, floor=1e-4, threshold=0.2):
        self.reference = {c: np.asarray(reference[c], dtype=float) for c in reference.columns}
        self.bins, self.floor, self.threshold = bins, floor, threshold
        self.edges = {c: np.percentile(v, np.arange(1, bins) * 100 / bins) for c, v in self.reference.items()}

    def _shares(self, column, values):
        index = np.digitize(values, self.edges[column])  # bin i: edges[i-1] <= v < edges[i]
        return np.maximum(np.bincount(index, minlength=self.bins) / len(values), self.floor)

    def index(self, column, values):
        expected, actual = self._shares(column, self.reference[column]), self._shares(column, values)
        return float(((actual - expected) * np.log(actual / expected)).sum())

    def report(self, csv_path):
        header, *rows = open(csv_path).read().split()
        table = np.array([[float(v) for v in row.split(",")] for row in rows])
        columns = header.split(",")
        values = {c: self.index(c, table[:, columns.index(c)]) for c in self.reference}
        return {"psi": values, "drifted": [c for c, v in values.items() if v > self.threshold]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--monitor")
    args = parser.parse_args()
    X_train, X_test, y_train, y_test = data.split()
    model = regressor.build().fit(X_train, y_train)
    for name, value in regressor.scores(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")
    if args.monitor:
        report = StabilityMonitor(X_train).report(args.monitor)
        with open(os.path.splitext(args.monitor)[0] + ".psi.json", "w") as handle:
            json.dump(report, handle)


if __name__ == "__main__":
    main()
