"""Simulates a labelled batch of incoming measurements for the monitoring job: fresh draws
from Friedman's problem #2 (inputs x0..x3 and the target y, another seed of the same
generator). --target-scale F multiplies the target by F (the relation between inputs and
target changed); --noise S adds Gaussian noise of standard deviation S to it.

    python3 feed.py OUT.csv --seed N [--rows N] [--target-scale F] [--noise S]"""
import argparse

import numpy as np
import pandas as pd
from sklearn.datasets import make_friedman2


def batch(seed, rows=150, target_scale=1.0, noise=0.0):
    X, y = make_friedman2(n_samples=rows, noise=20.0, random_state=500 + seed)
    out = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
    out["y"] = y * target_scale + np.random.default_rng(seed).normal(0.0, noise, size=rows) * (noise > 0)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=150)
    parser.add_argument("--target-scale", type=float, default=1.0)
    parser.add_argument("--noise", type=float, default=0.0)
    args = parser.parse_args()
    batch(args.seed, args.rows, args.target_scale, args.noise).to_csv(args.out, index=False)
