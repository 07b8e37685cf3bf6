"""Train a logistic regression on the iris CSV and save it; refuse a CSV that breaks the
schema (exit 2, one `invalid: <column>` line per bad column on stderr, no model)."""
import argparse
import os
import sys

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
SPECIES = {"setosa", "versicolor", "virginica"}


def bad_columns(df):
    """The columns that break the schema, in schema order."""
    bad = []
    for column in ["id", *FEATURES, "species"]:
        if column not in df.columns:
            bad.append(column)
            continue
        values = df[column]
        if values.isna().any():
            bad.append(column)
        elif column == "id":
            if not pd.api.types.is_integer_dtype(values) or values.duplicated().any():
                bad.append(column)
        elif column == "species":
            if not values.isin(SPECIES).all():
                bad.append(column)
        elif not pd.api.types.is_numeric_dtype(values) or not values.between(0.1, 10.0).all():
            bad.append(column)
    return bad


parser = argparse.ArgumentParser()
parser.add_argument("--data", default="iris.csv")
parser.add_argument("--C", type=float, default=2.0)
args = parser.parse_args()

if not os.path.exists(args.data):
    dataset.export(args.data)
df = pd.read_csv(args.data)
problems = bad_columns(df)
if problems:
    sys.stderr.write("".join(f"invalid: {column}\n" for column in problems))
    raise SystemExit(2)

X_train, X_test, y_train, y_test = train_test_split(
    df[FEATURES], df["species"], test_size=0.25, random_state=3, stratify=df["species"])
model = LogisticRegression(C=args.C, max_iter=500).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
joblib.dump(model, "model.joblib")
