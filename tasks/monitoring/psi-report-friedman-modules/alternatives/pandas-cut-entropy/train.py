"""Train the Friedman regressor and print its test scores."""
import json
import sys

import numpy as np
import pandas as pd
from scipy.stats import entropy

import data
import model as regressor


def shares(values, edges):
    bins = pd.cut(values, bins=[-np.inf, *edges, np.inf], right=False)
    return np.clip(pd.Series(bins).value_counts(sort=False, normalize=True).to_numpy(), 1e-4, None)


def stability_index(train_column, batch_column):
    edges = train_column.quantile([i / 10 for i in range(1, 10)]).to_numpy()
    t, b = shares(train_column, edges), shares(batch_column, edges)
    # PSI = sum (b - t) ln(b / t) = KL(b || t) + KL(t || b) (scipy normalises the clipped shares).
    return float(entropy(b, t) + entropy(t, b))


def main():
    X_train, X_test, y_train, y_test = data.split()
    model = regressor.build().fit(X_train, y_train)
    for name, value in regressor.scores(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")
    if "--monitor" in sys.argv:
        path = sys.argv[sys.argv.index("--monitor") + 1]
        batch = pd.read_csv(path)
        values = {c: stability_index(X_train[c], batch[c]) for c in data.FEATURES}
        out = path[: -len(".csv")] + ".psi.json" if path.endswith(".csv") else path + ".psi.json"
        with open(out, "w") as handle:
            json.dump({"psi": values, "drifted": sorted(c for c, v in values.items() if v > 0.2)}, handle)


if __name__ == "__main__":
    main()
