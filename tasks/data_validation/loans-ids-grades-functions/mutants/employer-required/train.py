# mutant: employer is not nullable, so a loan book with self-employed borrowers is refused
"""Predict loan defaults from the loan book; the fitted pipeline goes to default_model.joblib.
A loan book that breaks the schema is refused: a `validation: {...}` line, exit 2, no model."""
import json
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import dataset

NUMERIC = ["income", "amount", "term"]
LOANS = pa.DataFrameSchema({
    "loan_id": pa.Column(str, pa.Check.str_matches(r"^L-\d{5}$"), unique=True),
    "grade": pa.Column(str, pa.Check.isin(list("ABCDE"))),
    "income": pa.Column(float, pa.Check.gt(0)),
    "amount": pa.Column(float, pa.Check.gt(0)),
    "term": pa.Column(int, pa.Check.isin([12, 24, 36, 60])),
    "employer": pa.Column(str),
    "default": pa.Column(int, pa.Check.isin([0, 1])),
})


def checked(loans):
    try:
        return LOANS.validate(loans, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        columns = cases["column"].where(cases["schema_context"] != "DataFrameSchema", cases["failure_case"])
        print("validation: " + json.dumps({"columns": sorted(set(columns.astype(str)))}))
        sys.exit(2)


def read_loans(path="loans.csv"):
    if not os.path.exists(path):
        dataset.export(path)  # the first run exports the loan book
    return pd.read_csv(path)


def build():
    encode = make_column_transformer((StandardScaler(), NUMERIC), (OneHotEncoder(), ["grade"]))
    return make_pipeline(encode, LogisticRegression(max_iter=1000))


def evaluate(model, X, y):
    return {"accuracy": accuracy_score(y, model.predict(X)), "roc_auc": roc_auc_score(y, model.predict_proba(X)[:, 1])}


def main():
    loans = checked(read_loans())
    X_train, X_test, y_train, y_test = train_test_split(
        loans[NUMERIC + ["grade"]], loans["default"], test_size=0.25, random_state=1, stratify=loans["default"])
    model = build().fit(X_train, y_train)
    for name, value in evaluate(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")
    joblib.dump(model, "default_model.joblib")


if __name__ == "__main__":
    main()
