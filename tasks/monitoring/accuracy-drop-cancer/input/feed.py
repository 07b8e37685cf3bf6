"""Simulates a batch of labelled breast-cancer cases for the monitoring job: rows drawn
without replacement from the held-out part of the data set (the split train.py keeps for
testing), with the diagnosis in a `target` column; --flip relabels a fraction of the
rows (the labels no longer follow the features, as after a change in how cases are
diagnosed).

    python3 feed.py OUT.csv --seed N [--rows N] [--flip FRACTION]"""
import argparse

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split


def batch(seed, rows=80, flip=0.0):
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    _, X_new, _, y_new = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    out = X_new.sample(n=rows, random_state=seed)
    out["target"] = y_new.loc[out.index]
    out = out.reset_index(drop=True)
    flipped = np.random.default_rng(seed).choice(rows, size=round(flip * rows), replace=False)
    out.loc[flipped, "target"] = 1 - out.loc[flipped, "target"]
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=80)
    parser.add_argument("--flip", type=float, default=0.0)
    args = parser.parse_args()
    batch(args.seed, args.rows, args.flip).to_csv(args.out, index=False)
