"""A synthetic loan book as the CSV the training job reads (fixed seed: the same file every
time): loan_id (L-00001, ...), grade (A-E), income and loan amount, term in months,
employer (empty for the self-employed) and whether the loan defaulted (0/1). With faults,
the same file broken on purpose (for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one negative value),
category (one unknown label), duplicate (one repeated id), dtype (one value that is not a
number), pattern (one id with text around it)."""
import argparse

import numpy as np
import pandas as pd


def frame(rows=600):
    rng = np.random.default_rng(7)
    grade = rng.choice(list("ABCDE"), size=rows, p=[0.2, 0.3, 0.25, 0.15, 0.1])
    income = np.round(rng.lognormal(10.8, 0.45, size=rows), 2)
    amount = np.round(income * rng.uniform(0.05, 0.6, size=rows), 2)
    term = rng.choice([12, 24, 36, 60], size=rows)
    risk = -3 + 0.6 * (np.searchsorted(list("ABCDE"), grade)) + 4 * amount / income + term / 60
    default = (rng.random(rows) < 1 / (1 + np.exp(-risk))).astype(int)
    employer = rng.choice(["Acme", "Globex", "Initech", "Umbrella", None], size=rows, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    return pd.DataFrame({
        "loan_id": [f"L-{i:05d}" for i in range(1, rows + 1)], "grade": grade, "income": income,
        "amount": amount, "term": term, "employer": employer, "default": default,
    })


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[9, column] = None
    elif kind == "range":
        df.loc[15, column] = -df.loc[15, column]
    elif kind == "category":
        df.loc[27, column] = "F"
    elif kind == "duplicate":
        df.loc[42, column] = df.loc[41, column]
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[50, column] = "n.a."
    elif kind == "pattern":
        df.loc[63, column] = f"old {df.loc[63, column]}"
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
