"""Fit a ridge regression of diabetes progression and save it to ridge.joblib."""
import os
import sys

import joblib
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

import dataset

RANGES = {"age": (18, 90), "bmi": (15, 50), "bp": (50, 140), "progression": (25, 350)}
COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"]


def errors(df):
    found = []
    for column in COLUMNS:
        if column not in df:
            found.append(f"{column}: missing")
            continue
        values = df[column]
        if values.isna().any():
            found.append(f"{column}: {int(values.isna().sum())} empty cells")
        elif not pd.api.types.is_numeric_dtype(values):
            found.append(f"{column}: not numeric")
        elif column in ("age", "sex") and not pd.api.types.is_integer_dtype(values):
            found.append(f"{column}: not integers")
        elif column == "sex" and not values.isin([1, 2]).all():
            found.append(f"{column}: codes other than 1 and 2")
        elif column in RANGES and not values.between(*RANGES[column]).all():
            found.append(f"{column}: outside {RANGES[column]}")
    return found


if not os.path.exists("diabetes.csv"):
    dataset.export("diabetes.csv")
df = pd.read_csv("diabetes.csv")
problems = errors(df)
if problems:
    print("refusing diabetes.csv:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(4)

X, y = df.drop(columns="progression"), df["progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
model = Ridge(alpha=0.5).fit(X_train, y_train)
print(f"rmse: {mean_squared_error(y_test, model.predict(X_test)) ** 0.5:.4f}")
joblib.dump(model, "ridge.joblib")
