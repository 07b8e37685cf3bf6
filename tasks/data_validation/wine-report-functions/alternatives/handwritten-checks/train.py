"""Train a gradient-boosting classifier on the wine CSV and save it to forest.joblib."""
import json
import os
import sys

import joblib
import pandas as pd
from pandas.api.types import is_float_dtype, is_integer_dtype
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

DATA = "wine.csv"
FEATURES = ["alcohol", "malic_acid", "magnesium", "flavanoids", "color_intensity", "hue", "proline"]
RULES = {  # column -> (integer?, low, high)
    "alcohol": (False, 10.0, 15.0), "malic_acid": (False, 0.5, 6.0), "magnesium": (True, 60, 170),
    "flavanoids": (False, 0.3, 5.5), "color_intensity": (False, 1.0, 13.5), "hue": (False, 0.4, 1.8),
    "proline": (True, 250, 1700),
}
CULTIVARS = {"cultivar_0", "cultivar_1", "cultivar_2"}


def load(path):
    if not os.path.exists(path):
        dataset.export(path)
    return pd.read_csv(path)


def problems(df):
    bad = [c for c in df.columns if c not in RULES and c != "cultivar"]
    for column, (integer, low, high) in RULES.items():
        if column not in df.columns:
            bad.append(column)
            continue
        values = df[column]
        right_type = is_integer_dtype(values) if integer else (is_float_dtype(values) or is_integer_dtype(values))
        if not right_type or values.isna().any() or not values.between(low, high).all():
            bad.append(column)
    if "cultivar" not in df.columns or df["cultivar"].isna().any() or not df["cultivar"].isin(CULTIVARS).all():
        bad.append("cultivar")
    return sorted(bad)


def fit(df):
    X_train, X_test, y_train, y_test = train_test_split(
        df[FEATURES], df["cultivar"], test_size=0.3, random_state=5, stratify=df["cultivar"])
    model = GradientBoostingClassifier(n_estimators=50, random_state=0).fit(X_train, y_train)
    return model, accuracy_score(y_test, model.predict(X_test))


def main():
    df = load(DATA)
    bad = problems(df)
    if bad:
        with open("validation_errors.json", "w") as handle:
            json.dump({"columns": bad}, handle, indent=2)
        print(f"refusing {DATA}: bad columns {bad}", file=sys.stderr)
        sys.exit(3)
    model, accuracy = fit(df)
    print(f"accuracy: {accuracy:.4f}")
    joblib.dump(model, "forest.joblib")


if __name__ == "__main__":
    main()
