"""Simulates a batch of incoming sensor readings for the monitoring job: fresh draws of
the inputs x0..x5 from the same distribution as the training data (another seed of the
same generator). --shift C=D adds D to column C; --scale C=F squeezes column C around 0.5
by the factor F.

    python3 feed.py OUT.csv --seed N [--rows N] [--shift COLUMN=D]... [--scale COLUMN=F]..."""
import argparse

from sklearn.datasets import make_friedman1

import pandas as pd

FEATURES = [f"x{i}" for i in range(6)]


def batch(seed, rows=500, shift=(), scale=()):
    X, _ = make_friedman1(n_samples=rows, n_features=len(FEATURES), noise=0.5, random_state=1000 + seed)
    out = pd.DataFrame(X, columns=FEATURES)
    for spec in shift:
        column, d = spec.split("=")
        out[column] = out[column] + float(d)
    for spec in scale:
        column, f = spec.split("=")
        out[column] = 0.5 + (out[column] - 0.5) * float(f)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--shift", action="append", default=[])
    parser.add_argument("--scale", action="append", default=[])
    args = parser.parse_args()
    batch(args.seed, args.rows, args.shift, args.scale).to_csv(args.out, index=False)
