"""The wine measurements as the CSV the training job reads: a few of the chemical
measurements and the cultivar name. With faults, the same file broken on purpose (for
testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), category (one unknown label), dtype (one value that is not a number), extra (an
unexpected column of that name is added)."""
import argparse

from sklearn.datasets import load_wine

COLUMNS = ["alcohol", "malic_acid", "magnesium", "flavanoids", "color_intensity", "hue", "proline"]


def frame():
    wine = load_wine(as_frame=True)
    df = wine.data[COLUMNS].copy()
    df["magnesium"] = df["magnesium"].astype(int)
    df["proline"] = df["proline"].astype(int)
    df["cultivar"] = [f"cultivar_{k}" for k in wine.target]
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[4, column] = None
    elif kind == "range":
        df.loc[6, column] = df[column].max() * 10
    elif kind == "category":
        df.loc[2, column] = "cultivar_9"
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[10, column] = "unknown"
    elif kind == "extra":
        df[column] = "n/a"
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
