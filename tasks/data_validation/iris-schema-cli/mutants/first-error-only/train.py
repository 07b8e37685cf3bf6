# mutant: validation stops at the first error, so only one bad column is named
"""Train a logistic regression on the iris CSV and save it; refuse a CSV that breaks the
schema (exit 2, one `invalid: <column>` line per bad column on stderr, no model)."""
import argparse
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
MEASUREMENT = pa.Column(float, pa.Check.in_range(0.1, 10.0), nullable=False)
SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(int, unique=True, nullable=False),
        **{name: MEASUREMENT for name in FEATURES},
        "species": pa.Column(str, pa.Check.isin(["setosa", "versicolor", "virginica"]), nullable=False),
    },
)

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="iris.csv")
parser.add_argument("--C", type=float, default=2.0)
args = parser.parse_args()

if not os.path.exists(args.data):
    dataset.export(args.data)  # the first run exports the bundled data set
df = pd.read_csv(args.data)
try:
    df = SCHEMA.validate(df)
except SchemaError as error:
    column = getattr(error.schema, "name", None) or str(error.failure_cases["failure_case"].iloc[0])
    print(f"invalid: {column}", file=sys.stderr)
    sys.exit(2)

X_train, X_test, y_train, y_test = train_test_split(
    df[FEATURES], df["species"], test_size=0.25, random_state=3, stratify=df["species"])
model = LogisticRegression(C=args.C, max_iter=500).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
joblib.dump(model, "model.joblib")
