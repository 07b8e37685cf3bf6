"""Simulates a labelled stream of scanned digits for the monitoring job: rows drawn from the
held-out part of the digits data set (the split train.py keeps for testing), in arrival
order, pixels p0..p63 and the true digit in `label`. --flip F with --flip-from R mislabels
a fraction F of the rows from row R on (the labelling process broke at that point).

    python3 feed.py OUT.csv --seed N [--rows N] [--flip F --flip-from ROW]"""
import argparse

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def stream(seed, rows=300, flip=0.0, flip_from=0):
    X, y = load_digits(return_X_y=True)
    _, X_new, _, y_new = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(y_new), size=rows, replace=False)
    labels = y_new[picked].copy()
    late = np.arange(flip_from, rows)
    wrong = rng.choice(late, size=round(flip * len(late)), replace=False)
    labels[wrong] = (labels[wrong] + 1 + rng.integers(0, 9, size=len(wrong))) % 10
    import pandas as pd
    out = pd.DataFrame(X_new[picked].astype(int), columns=[f"p{i}" for i in range(64)])
    out["label"] = labels
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--flip", type=float, default=0.0)
    parser.add_argument("--flip-from", type=int, default=0)
    args = parser.parse_args()
    stream(args.seed, args.rows, args.flip, args.flip_from).to_csv(args.out, index=False)
