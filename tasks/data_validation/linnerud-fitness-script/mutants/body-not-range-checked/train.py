# mutant: the body measurements (the targets) are typed but not range-checked
"""Predict weight, waist and pulse from exercise counts (Linnerud) with one ridge model;
a file that breaks the schema is refused (exit 2, `FAILED CHECK: <column>` lines, no model)."""
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_predict

import dataset

BOUNDS = {"chins": (0, 30), "situps": (0, 300), "jumps": (0, 300),
          "weight": (100, 300), "waist": (20, 50), "pulse": (40, 120)}
SCHEMA = pa.DataFrameSchema({
    "athlete_id": pa.Column(int, unique=True),
    **{name: pa.Column(int, pa.Check.in_range(low, high)) for name, (low, high) in BOUNDS.items()
       if name in dataset.EXERCISES},
    **{name: pa.Column(int) for name in dataset.BODY},  # the targets are only typed
})

if not os.path.exists("fitness.csv"):
    dataset.export("fitness.csv")  # the first run exports the bundled study
df = pd.read_csv("fitness.csv")
try:
    df = SCHEMA.validate(df, lazy=True)
except SchemaErrors as errors:
    cases = errors.failure_cases
    columns = cases["column"].where(cases["schema_context"] != "DataFrameSchema", cases["failure_case"])
    for column in dict.fromkeys(columns.astype(str)):
        print(f"FAILED CHECK: {column}")
    sys.exit(2)

X, Y = df[dataset.EXERCISES], df[dataset.BODY]
predicted = cross_val_predict(Ridge(alpha=10.0), X, Y, cv=5)
print(f"cv_r2: {r2_score(Y, predicted):.4f}")
joblib.dump(Ridge(alpha=10.0).fit(X, Y), "fitness.joblib")
