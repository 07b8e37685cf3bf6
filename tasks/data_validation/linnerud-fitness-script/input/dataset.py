"""The Linnerud fitness study as the CSV the training job reads: an athlete_id, three
exercise counts (chins, situps, jumps) and three physiological measurements (weight in
pounds, waist in inches, pulse per minute). With faults, the same file broken on purpose
(for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one value far out of
range), duplicate (one repeated id), dtype (one value that is not a number)."""
import argparse

from sklearn.datasets import load_linnerud

EXERCISES = ["chins", "situps", "jumps"]
BODY = ["weight", "waist", "pulse"]


def frame():
    data = load_linnerud(as_frame=True)
    df = data.data.astype(int)
    df.columns = EXERCISES
    body = data.target.astype(int)
    body.columns = BODY
    df = df.join(body)
    df.insert(0, "athlete_id", range(101, 101 + len(df)))
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[3, column] = None
    elif kind == "range":
        df.loc[6, column] = int(df[column].max()) * 10
    elif kind == "duplicate":
        df.loc[9, column] = df.loc[8, column]
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[11, column] = "many"
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
