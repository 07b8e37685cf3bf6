"""Predict weight, waist and pulse from exercise counts (Linnerud) with one ridge model."""
import os
import sys

import joblib
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_predict

import dataset

RULES = {"athlete_id": None, "chins": (0, 30), "situps": (0, 300), "jumps": (0, 300),
         "weight": (100, 300), "waist": (20, 50), "pulse": (40, 120)}


def failed_checks(df):
    failed = []
    for column, bounds in RULES.items():
        values = df.get(column)
        if values is None or values.isna().any() or not pd.api.types.is_integer_dtype(values):
            failed.append(column)
        elif bounds is None and not values.is_unique:
            failed.append(column)
        elif bounds is not None and not values.between(*bounds).all():
            failed.append(column)
    return failed

if not os.path.exists("fitness.csv"):
    dataset.export("fitness.csv")  # the first run exports the bundled study
df = pd.read_csv("fitness.csv")
failed = failed_checks(df)
if failed:
    print("\n".join(f"FAILED CHECK: {c}" for c in failed))
    sys.exit(2)

X, Y = df[dataset.EXERCISES], df[dataset.BODY]
predicted = cross_val_predict(Ridge(alpha=10.0), X, Y, cv=5)
print(f"cv_r2: {r2_score(Y, predicted):.4f}")
joblib.dump(Ridge(alpha=10.0).fit(X, Y), "fitness.joblib")
