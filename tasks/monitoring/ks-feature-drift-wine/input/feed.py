"""Simulates a batch of incoming wine measurements for the monitoring job: rows drawn without
replacement from the held-out part of the data set (the split train.py keeps for testing),
optionally shifted. Writes a CSV with the data set's feature columns.

    python3 feed.py OUT.csv --seed N [--rows N] [--shift COLUMN=K]...

--shift adds K standard deviations (of the whole data set) to COLUMN."""
import argparse

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split


def batch(seed, rows=40, shift=()):
    X, y = load_wine(return_X_y=True, as_frame=True)
    _, X_new, _, _ = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    out = X_new.sample(n=rows, random_state=seed).reset_index(drop=True)
    for spec in shift:
        column, k = spec.split("=")
        out[column] = out[column] + float(k) * X[column].std()
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--shift", action="append", default=[])
    args = parser.parse_args()
    batch(args.seed, args.rows, args.shift).to_csv(args.out, index=False)
