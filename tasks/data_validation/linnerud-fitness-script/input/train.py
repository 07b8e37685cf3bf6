"""Predict weight, waist and pulse from exercise counts (Linnerud) with one ridge model."""
import os

import joblib
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_predict

import dataset

if not os.path.exists("fitness.csv"):
    dataset.export("fitness.csv")  # the first run exports the bundled study
df = pd.read_csv("fitness.csv")

X, Y = df[dataset.EXERCISES], df[dataset.BODY]
predicted = cross_val_predict(Ridge(alpha=10.0), X, Y, cv=5)
print(f"cv_r2: {r2_score(Y, predicted):.4f}")
joblib.dump(Ridge(alpha=10.0).fit(X, Y), "fitness.joblib")
