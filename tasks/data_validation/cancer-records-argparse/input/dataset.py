"""Breast-cancer screening records as the CSV the training job reads: a patient_id
(P0001, ...), ten "mean" cell measurements and the diagnosis (malignant or benign). With
faults, the same file broken on purpose (for testing the job):

    python3 dataset.py OUT.csv [--fault KIND:COLUMN]...

KIND: missing (the column is dropped), null (one empty cell), range (one negative value),
category (one unknown label), duplicate (one repeated id), dtype (one value that is not a
number)."""
import argparse

from sklearn.datasets import load_breast_cancer

MEASUREMENTS = ["mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness",
                "mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry",
                "mean_fractal_dimension"]


def frame():
    cancer = load_breast_cancer(as_frame=True)
    df = cancer.data.iloc[:, :10].copy()
    df.columns = MEASUREMENTS
    df.insert(0, "patient_id", [f"P{i:04d}" for i in range(1, len(df) + 1)])
    df["diagnosis"] = cancer.target_names[cancer.target]
    return df


def break_column(df, kind, column):
    if kind == "missing":
        return df.drop(columns=column)
    if kind == "null":
        df.loc[19, column] = None
    elif kind == "range":
        df.loc[44, column] = -df.loc[44, column]
    elif kind == "category":
        df.loc[5, column] = "unclear"
    elif kind == "duplicate":
        df.loc[61, column] = df.loc[60, column]
    elif kind == "dtype":
        df[column] = df[column].astype(object)
        df.loc[70, column] = "pending"
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
