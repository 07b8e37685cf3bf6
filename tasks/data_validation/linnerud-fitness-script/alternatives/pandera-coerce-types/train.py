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
SCHEMA = pa.DataFrameSchema(
    {"athlete_id": pa.Column("int64"),
     **{name: pa.Column("int64", [pa.Check.ge(low), pa.Check.le(high)]) for name, (low, high) in BOUNDS.items()}},
    unique=["athlete_id"],   # the frame-level form of a unique column
    coerce=True,             # "many" cannot become an integer: a failure of that column
)

if not os.path.exists("fitness.csv"):
    dataset.export("fitness.csv")  # the first run exports the bundled study
df = pd.read_csv("fitness.csv")
try:
    df = SCHEMA.validate(df, lazy=True)
except SchemaErrors as errors:
    named = []
    for case in errors.failure_cases.to_dict("records"):
        if case["schema_context"] == "DataFrameSchema":
            # a missing column names itself; a frame-level uniqueness failure names its column
            column = "athlete_id" if "unique" in str(case["check"]) else str(case["failure_case"])
        else:
            column = case["column"]
        if column not in named:
            named.append(column)
    print("\n".join(f"FAILED CHECK: {c}" for c in named))
    sys.exit(2)

X, Y = df[dataset.EXERCISES], df[dataset.BODY]
predicted = cross_val_predict(Ridge(alpha=10.0), X, Y, cv=5)
print(f"cv_r2: {r2_score(Y, predicted):.4f}")
joblib.dump(Ridge(alpha=10.0).fit(X, Y), "fitness.joblib")
