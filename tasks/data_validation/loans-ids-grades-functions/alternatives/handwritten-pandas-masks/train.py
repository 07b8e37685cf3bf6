"""Predict loan defaults from the loan book; the fitted pipeline goes to default_model.joblib."""
import json
import os

import joblib
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import dataset

NUMERIC = ["income", "amount", "term"]
REQUIRED = ["loan_id", "grade", "income", "amount", "term", "employer", "default"]


def broken(loans):
    """The columns that break a rule, each once."""
    bad = [c for c in REQUIRED if c not in loans.columns]

    def rule(column, ok):
        if column in loans.columns and column not in bad and not ok(loans[column]):
            bad.append(column)

    for column in REQUIRED:
        if column != "employer":
            rule(column, lambda s: not s.isna().any())
    rule("loan_id", lambda s: s.astype(str).str.fullmatch(r"L-\d{5}").all() and not s.duplicated().any())
    rule("grade", lambda s: s.isin(list("ABCDE")).all())
    for column in ("income", "amount"):
        rule(column, lambda s: pd.api.types.is_numeric_dtype(s) and bool((s > 0).all()))
    rule("term", lambda s: pd.api.types.is_integer_dtype(s) and s.isin([12, 24, 36, 60]).all())
    rule("employer", lambda s: s.dropna().map(lambda v: isinstance(v, str)).all())
    rule("default", lambda s: pd.api.types.is_integer_dtype(s) and s.isin([0, 1]).all())
    return bad


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
    loans = read_loans()
    bad = broken(loans)
    if bad:
        print("validation:", json.dumps({"columns": bad}))
        raise SystemExit(2)
    X_train, X_test, y_train, y_test = train_test_split(
        loans[NUMERIC + ["grade"]], loans["default"], test_size=0.25, random_state=1, stratify=loans["default"])
    model = build().fit(X_train, y_train)
    for name, value in evaluate(model, X_test, y_test).items():
        print(f"{name}: {value:.4f}")
    joblib.dump(model, "default_model.joblib")


if __name__ == "__main__":
    main()
