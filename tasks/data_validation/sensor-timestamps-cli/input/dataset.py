"""A log of sensor readings as the CSV the training job reads (fixed seed: the same file
every time): an ISO timestamp (one reading a minute, in order), the sensor name (S1, S2,
S3), five readings r0..r4 scaled to [0, 1] and the target y (Friedman's problem #1). With
faults, the same file broken on purpose (for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), category (one unknown sensor), order (two rows' values swapped, out of order),
dtype (one value that is not a number or a time)."""
import argparse

import pandas as pd
from sklearn.datasets import make_friedman1

READINGS = [f"r{i}" for i in range(5)]


def frame(rows=800):
    X, y = make_friedman1(n_samples=rows, n_features=5, noise=1.0, random_state=3)
    df = pd.DataFrame(X.round(4), columns=READINGS)
    df.insert(0, "sensor", [f"S{1 + i % 3}" for i in range(rows)])
    df.insert(0, "timestamp", pd.date_range("2024-03-01 00:00", periods=rows, freq="min").strftime("%Y-%m-%dT%H:%M:%S"))
    df["y"] = y.round(4)
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[21, column] = None
    elif kind == "range":
        df.loc[37, column] = 7.5
    elif kind == "category":
        df.loc[48, column] = "S9"
    elif kind == "order":
        df.loc[[60, 61], column] = df.loc[[61, 60], column].to_numpy()
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[75, column] = "offline"
    else:
        raise SystemExit(f"unknown fault kind {kind!r}")
    return df


def export(path, faults=()):
    df = frame()
    for fault in faults:
        kind, column = fault.split(":")
        df = break_column(df, kind, column)
    df.to_csv(path, index=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--fault", action="append", default=[])
    args = parser.parse_args()
    export(args.out, args.fault)
