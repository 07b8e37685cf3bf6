"""Simulates a batch of incoming scanned digits (8x8 pixel intensities, no labels) for the
monitoring job: rows drawn from the held-out part of the data set (the split main.py
keeps for testing). --share K=F draws a fraction F of the rows from digit K (the rest from
the other digits): the mix of what is scanned has changed.

    python3 feed.py OUT.csv --seed N [--rows N] [--share DIGIT=FRACTION]"""
import argparse

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def batch(seed, rows=200, share=None):
    X, y = load_digits(return_X_y=True, as_frame=True)
    _, X_new, _, y_new = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
    rng = np.random.default_rng(seed)
    labels = y_new.to_numpy()
    if share is None:
        picked = rng.choice(len(labels), size=rows, replace=False)
    else:
        k, fraction = share.split("=")
        n_in = round(float(fraction) * rows)
        picked = np.concatenate([rng.choice(np.flatnonzero(labels == int(k)), n_in, replace=False),
                                 rng.choice(np.flatnonzero(labels != int(k)), rows - n_in, replace=False)])
        picked = rng.permutation(picked)
    return X_new.iloc[picked].reset_index(drop=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--share")
    args = parser.parse_args()
    batch(args.seed, args.rows, args.share).to_csv(args.out, index=False)
