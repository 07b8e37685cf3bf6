"""Synthetic web sessions (the training data and the monitoring job's batches): the
acquisition channel, the device, pages viewed, session duration in seconds and whether
the visit converted. A seed gives another draw from the same population. As a batch
writer, --mix COLUMN=VALUE:SHARE makes VALUE that share of COLUMN (the others keep their
relative shares); --shift COLUMN=K multiplies a numeric column by K.

    python3 feed.py OUT.csv --seed N [--rows N] [--mix COLUMN=VALUE:SHARE]... [--shift COLUMN=K]..."""
import argparse

import numpy as np
import pandas as pd

SHARES = {
    "channel": {"email": 0.3, "search": 0.28, "social": 0.22, "direct": 0.2},
    "device": {"mobile": 0.5, "desktop": 0.4, "tablet": 0.1},
}


def sessions(rows, seed, mix=(), shift=()):
    rng = np.random.default_rng(seed)
    shares = {column: dict(values) for column, values in SHARES.items()}
    for spec in mix:
        column, rest = spec.split("=")
        value, share = rest.split(":")
        others = {k: v for k, v in shares[column].items() if k != value}
        total = sum(others.values())
        shares[column] = {**{k: v / total * (1 - float(share)) for k, v in others.items()}, value: float(share)}
    df = pd.DataFrame({column: rng.choice(list(s), size=rows, p=list(s.values())) for column, s in shares.items()})
    df["pages"] = rng.poisson(4 + 2 * (df["device"] == "desktop")) + 1
    df["duration"] = np.round(rng.gamma(2.0, 60.0, size=rows) * (1 + 0.3 * (df["channel"] == "search")), 1)
    logit = -2 + 0.25 * df["pages"] + 0.004 * df["duration"] + 0.6 * (df["channel"] == "email")
    df["converted"] = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    for spec in shift:
        column, k = spec.split("=")
        df[column] = df[column] * float(k)
    return df


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--mix", action="append", default=[])
    parser.add_argument("--shift", action="append", default=[])
    args = parser.parse_args()
    sessions(args.rows, 1000 + args.seed, args.mix, args.shift).to_csv(args.out, index=False)
