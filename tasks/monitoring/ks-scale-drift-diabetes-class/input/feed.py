"""Simulates a batch of incoming patient records for the monitoring job: rows drawn
without replacement from the held-out part of the diabetes data set (the split train.py
keeps for testing), features only. --scale C=F stretches column C around its mean by the
factor F (same mean, another spread, as after a change of measuring device); --shift C=K
adds K standard deviations to it.

    python3 feed.py OUT.csv --seed N [--rows N] [--scale COLUMN=F]... [--shift COLUMN=K]..."""
import argparse

from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split


def batch(seed, rows=100, scale=(), shift=()):
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    _, X_new, _, _ = train_test_split(X, y, test_size=0.3, random_state=3)
    out = X_new.sample(n=rows, random_state=seed).reset_index(drop=True)
    for spec in scale:
        column, f = spec.split("=")
        out[column] = X[column].mean() + (out[column] - X[column].mean()) * float(f)
    for spec in shift:
        column, k = spec.split("=")
        out[column] = out[column] + float(k) * X[column].std()
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--scale", action="append", default=[])
    parser.add_argument("--shift", action="append", default=[])
    args = parser.parse_args()
    batch(args.seed, args.rows, args.scale, args.shift).to_csv(args.out, index=False)
