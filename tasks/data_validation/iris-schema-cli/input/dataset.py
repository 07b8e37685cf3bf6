"""The iris measurements as the CSV the training job reads: an id column, the four
measurements in cm and the species name. With faults, the same file broken on purpose
(for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), category (one unknown label), duplicate (one repeated id), dtype (one value that
is not a number)."""
import argparse

import numpy as np
from sklearn.datasets import load_iris

COLUMNS = ["id", "sepal_length", "sepal_width", "petal_length", "petal_width", "species"]


def frame():
    iris = load_iris(as_frame=True)
    df = iris.data.copy()
    df.columns = COLUMNS[1:5]
    df.insert(0, "id", np.arange(1000, 1000 + len(df)))
    df["species"] = iris.target_names[iris.target]
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[5, column] = None
    elif kind == "range":
        df.loc[7, column] = 42.0
    elif kind == "category":
        df.loc[3, column] = "nova"
    elif kind == "duplicate":
        df.loc[9, column] = df.loc[8, column]
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[11, column] = f"{df.loc[11, column]}cm"
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
