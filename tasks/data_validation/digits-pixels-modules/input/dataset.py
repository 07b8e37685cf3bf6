"""The digits data set as the CSV the training job reads: a sample_id, the 64 pixel
intensities p0..p63 (integers 0-16) and the digit in `label`. With faults, the same file
broken on purpose (for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), duplicate (one repeated value), dtype (one value that is not a number)."""
import argparse

import numpy as np
from sklearn.datasets import load_digits


def frame():
    digits = load_digits(as_frame=True)
    df = digits.data.astype(int)
    df.columns = [f"p{i}" for i in range(64)]
    df.insert(0, "sample_id", np.arange(50000, 50000 + len(df)))
    df["label"] = digits.target
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[17, column] = None
    elif kind == "range":
        df.loc[25, column] = int(df[column].max()) * 5 + 1
    elif kind == "duplicate":
        df.loc[101, column] = df.loc[100, column]
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[33, column] = "smudge"
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
