"""Train a gradient-boosting classifier on the wine CSV and save it to forest.joblib."""
import json
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.typing import Series
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

DATA = "wine.csv"
FEATURES = ["alcohol", "malic_acid", "magnesium", "flavanoids", "color_intensity", "hue", "proline"]


class WineRows(pa.DataFrameModel):
    alcohol: Series[float] = pa.Field(ge=10.0, le=15.0)
    malic_acid: Series[float] = pa.Field(ge=0.5, le=6.0)
    magnesium: Series[int] = pa.Field(ge=60, le=170)
    flavanoids: Series[float] = pa.Field(ge=0.3, le=5.5)
    color_intensity: Series[float] = pa.Field(ge=1.0, le=13.5)
    hue: Series[float] = pa.Field(ge=0.4, le=1.8)
    proline: Series[int] = pa.Field(ge=250, le=1700)
    cultivar: Series[str] = pa.Field(isin=["cultivar_0", "cultivar_1", "cultivar_2"])

    class Config:
        strict = True
        coerce = True  # a cell that is not a number fails the cast, which is reported


def load(path):
    if not os.path.exists(path):
        dataset.export(path)
    return pd.read_csv(path)


def fit(df):
    X_train, X_test, y_train, y_test = train_test_split(
        df[FEATURES], df["cultivar"], test_size=0.3, random_state=5, stratify=df["cultivar"])
    model = GradientBoostingClassifier(n_estimators=50, random_state=0).fit(X_train, y_train)
    return model, accuracy_score(y_test, model.predict(X_test))


def main():
    try:
        df = WineRows.validate(load(DATA), lazy=True)
    except SchemaErrors as errors:
        names = set()
        cases = errors.failure_cases
        for context, column, case in zip(cases["schema_context"], cases["column"], cases["failure_case"]):
            # A frame-level failure (a missing or unexpected column) names the model, not a column.
            names.add(str(case) if context == "DataFrameSchema" else column)
        with open("validation_errors.json", "w") as handle:
            json.dump({"columns": sorted(names)}, handle)
        sys.exit(3)
    model, accuracy = fit(df)
    print(f"accuracy: {accuracy:.4f}")
    joblib.dump(model, "forest.joblib")


if __name__ == "__main__":
    main()
