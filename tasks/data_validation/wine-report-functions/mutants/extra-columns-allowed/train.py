# mutant: the schema is not strict, so a file with an unexpected column is accepted
"""Train a gradient-boosting classifier on the wine CSV and save it to forest.joblib;
a CSV that breaks the schema is refused (validation_errors.json, exit 3, no model)."""
import json
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

DATA = "wine.csv"
FEATURES = ["alcohol", "malic_acid", "magnesium", "flavanoids", "color_intensity", "hue", "proline"]
SCHEMA = pa.DataFrameSchema(
    {
        "alcohol": pa.Column(float, pa.Check.in_range(10.0, 15.0)),
        "malic_acid": pa.Column(float, pa.Check.in_range(0.5, 6.0)),
        "magnesium": pa.Column(int, pa.Check.in_range(60, 170)),
        "flavanoids": pa.Column(float, pa.Check.in_range(0.3, 5.5)),
        "color_intensity": pa.Column(float, pa.Check.in_range(1.0, 13.5)),
        "hue": pa.Column(float, pa.Check.in_range(0.4, 1.8)),
        "proline": pa.Column(int, pa.Check.in_range(250, 1700)),
        "cultivar": pa.Column(str, pa.Check.isin(["cultivar_0", "cultivar_1", "cultivar_2"])),
    },
)


def load(path):
    if not os.path.exists(path):
        dataset.export(path)  # the first run exports the bundled data set
    return pd.read_csv(path)


def validate(df):
    try:
        return SCHEMA.validate(df, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        # Missing and unexpected columns have no `column`: the failure case is the name.
        columns = cases["column"].where(cases["column"].notna(), cases["failure_case"]).astype(str)
        with open("validation_errors.json", "w") as handle:
            json.dump({"columns": sorted(set(columns))}, handle)
        sys.exit(3)


def fit(df):
    X_train, X_test, y_train, y_test = train_test_split(
        df[FEATURES], df["cultivar"], test_size=0.3, random_state=5, stratify=df["cultivar"])
    model = GradientBoostingClassifier(n_estimators=50, random_state=0).fit(X_train, y_train)
    return model, accuracy_score(y_test, model.predict(X_test))


def main():
    model, accuracy = fit(validate(load(DATA)))
    print(f"accuracy: {accuracy:.4f}")
    joblib.dump(model, "forest.joblib")


if __name__ == "__main__":
    main()
