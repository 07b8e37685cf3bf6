"""Train a logistic regression on the iris CSV and save it; refuse a CSV that breaks the
schema (exit 2, one `invalid: <column>` line per bad column on stderr, no model)."""
import argparse
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing import Series
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset


class IrisRows(pa.DataFrameModel):
    id: Series[int] = pa.Field(unique=True)
    sepal_length: Series[float] = pa.Field(ge=0.1, le=10.0)
    sepal_width: Series[float] = pa.Field(ge=0.1, le=10.0)
    petal_length: Series[float] = pa.Field(ge=0.1, le=10.0)
    petal_width: Series[float] = pa.Field(ge=0.1, le=10.0)
    species: Series[str] = pa.Field(isin=["setosa", "versicolor", "virginica"])


def load(path):
    try:
        return IrisRows.validate(pd.read_csv(path), lazy=True)
    except SchemaErrors as errors:
        failures = errors.failure_cases
        named = set()
        for _, case in failures.iterrows():
            frame_level = case["schema_context"] == "DataFrameSchema"  # a missing column: no column of its own
            column = str(case["failure_case"]) if frame_level else case["column"]
            if column not in named:
                named.add(column)
                print(f"invalid: {column}", file=sys.stderr)
        sys.exit(2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="iris.csv")
    parser.add_argument("--C", type=float, default=2.0)
    args = parser.parse_args()
    if not os.path.exists(args.data):
        dataset.export(args.data)
    df = load(args.data)
    features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    X_train, X_test, y_train, y_test = train_test_split(
        df[features], df["species"], test_size=0.25, random_state=3, stratify=df["species"])
    model = LogisticRegression(C=args.C, max_iter=500).fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    joblib.dump(model, "model.joblib")


if __name__ == "__main__":
    main()
