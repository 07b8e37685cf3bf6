"""Simulates a batch of labelled wines for the monitoring job: rows drawn with replacement
from the held-out part of the data set (the split train.py keeps for testing), with the
cultivar in a `target` column. --share K=F draws a fraction F of the rows from class K
(the rest from the other classes): the class mix has changed.

    python3 feed.py OUT.csv --seed N [--rows N] [--share CLASS=FRACTION]"""
import argparse

import numpy as np
import pandas as pd
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split


def batch(seed, rows=60, share=None):
    X, y = load_wine(return_X_y=True, as_frame=True)
    _, X_new, _, y_new = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    pool = X_new.assign(target=y_new)
    rng = np.random.default_rng(seed)
    if share is None:
        picked = rng.choice(len(pool), size=rows, replace=True)
        return pool.iloc[picked].reset_index(drop=True)
    k, fraction = share.split("=")
    inside = np.flatnonzero(pool["target"].to_numpy() == int(k))
    outside = np.flatnonzero(pool["target"].to_numpy() != int(k))
    n_in = round(float(fraction) * rows)
    picked = np.concatenate([rng.choice(inside, n_in), rng.choice(outside, rows - n_in)])
    return pool.iloc[rng.permutation(picked)].reset_index(drop=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--share")
    args = parser.parse_args()
    batch(args.seed, args.rows, args.share).to_csv(args.out, index=False)
