"""The diabetes study as the CSV the training job reads: age, sex (1 or 2), body-mass
index, blood pressure, six blood serum measurements s1..s6 and the disease progression one
year later. With faults, the same file broken on purpose (for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), category (one code that is not 1 or 2), dtype (one value that is not a number)."""
import argparse

from sklearn.datasets import load_diabetes


def frame():
    data = load_diabetes(as_frame=True, scaled=False)
    df = data.data.copy()
    df["age"] = df["age"].astype(int)
    df["sex"] = df["sex"].astype(int)
    df["progression"] = data.target
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[12, column] = None
    elif kind == "range":
        df.loc[30, column] = df[column].max() * 5
    elif kind == "category":
        df.loc[8, column] = 3
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[21, column] = "unknown"
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
