"""Train a screening classifier (scaled logistic regression) from a records CSV."""
import argparse
import os
import pickle
import re
import sys

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import dataset


class RecordValidator:
    """Hand-written checks: every problem as (column, description)."""

    ID = re.compile(r"P\d{4}")

    def __init__(self, records):
        self.records = records
        self.problems = []

    def need(self, column):
        if column not in self.records.columns:
            self.problems.append((column, "missing"))
            return None
        values = self.records[column]
        if values.isna().any():
            self.problems.append((column, "empty cells"))
            return None
        return values

    def run(self):
        ids = self.need("patient_id")
        if ids is not None and (not ids.astype(str).map(self.ID.fullmatch).all() or ids.duplicated().any()):
            self.problems.append(("patient_id", "malformed or repeated ids"))
        for name in dataset.MEASUREMENTS:
            values = self.need(name)
            if values is None:
                continue
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.isna().any():
                self.problems.append((name, "not a number"))
            elif (numbers < 0).any():
                self.problems.append((name, "negative"))
        diagnosis = self.need("diagnosis")
        if diagnosis is not None and not diagnosis.isin({"malignant", "benign"}).all():
            self.problems.append(("diagnosis", "unknown label"))
        return self.problems


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
    records = pd.read_csv(args.input)
    problems = RecordValidator(records).run()
    for column, what in problems:
        print(f"ERROR column={column} ({what})", file=sys.stderr)
    if problems:
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
