"""Train a screening classifier (scaled logistic regression) from a records CSV; records
that break the schema are refused (exit 3, `ERROR column=<name>` lines, no model)."""
import argparse
import os
import pickle
import sys

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import dataset

SCHEMA = pa.DataFrameSchema({
    "patient_id": pa.Column(str, pa.Check.str_matches(r"^P\d{4}$"), unique=True),
    **{name: pa.Column(float, pa.Check.ge(0)) for name in dataset.MEASUREMENTS},
    "diagnosis": pa.Column(str, pa.Check.isin(["malignant", "benign"])),
})


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", default="records.csv")
    parser.add_argument("--output", default="screening.pkl")
    parser.add_argument("--C", type=float, default=1.0)
    return parser.parse_args()


def main():
    args = parse_args()
    if not os.path.exists(args.input):
        dataset.export(args.input)  # the first run exports the bundled records
    try:
        records = SCHEMA.validate(pd.read_csv(args.input), lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        for _, case in cases.iterrows():
            column = case["failure_case"] if case["schema_context"] == "DataFrameSchema" else case["column"]
            print(f"ERROR column={column} check={case['check']} value={case['failure_case']}", file=sys.stderr)
        sys.exit(3)
    X = records[dataset.MEASUREMENTS]
    y = (records["diagnosis"] == "malignant").astype(int)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=1000)).fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    print(f"roc_auc: {roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]):.4f}")
    with open(args.output, "wb") as handle:
        pickle.dump(model, handle)


if __name__ == "__main__":
    main()
