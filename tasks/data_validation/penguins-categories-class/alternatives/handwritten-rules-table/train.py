"""Classify penguin species from a survey CSV; the trained pipeline goes to penguins.joblib."""
import os
import sys

import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import dataset

NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["island", "sex"]
# column -> (kind, allowed values or (low, high), empty cells allowed)
RULES = {
    "species": ("label", {"Adelie", "Chinstrap", "Gentoo"}, False),
    "island": ("label", {"Biscoe", "Dream", "Torgersen"}, False),
    "bill_length_mm": ("number", (30, 60), False),
    "bill_depth_mm": ("number", (13, 22), False),
    "flipper_length_mm": ("integer", (170, 235), False),
    "body_mass_g": ("integer", (2700, 6300), False),
    "sex": ("label", {"male", "female"}, True),
}


def broken_columns(df):
    broken = []
    for column, (kind, allowed, nullable) in RULES.items():
        if column not in df.columns:
            broken.append(column)
            continue
        values = df[column]
        present = values.dropna()
        if not nullable and len(present) < len(values):
            broken.append(column)
        elif kind == "label":
            if not present.isin(allowed).all():
                broken.append(column)
        elif kind == "integer" and not pd.api.types.is_integer_dtype(values):
            broken.append(column)
        elif not pd.api.types.is_numeric_dtype(values) or not present.between(*allowed).all():
            broken.append(column)
    return broken


class SpeciesModel:
    def __init__(self, path="penguins.csv"):
        self.path = path
        self.pipeline = make_pipeline(
            ColumnTransformer([
                ("numbers", "passthrough", NUMERIC),
                ("categories", make_pipeline(SimpleImputer(strategy="constant", fill_value="unknown"),
                                             OneHotEncoder(handle_unknown="ignore")), CATEGORICAL),
            ]),
            RandomForestClassifier(n_estimators=100, random_state=0),
        )

    def load(self):
        if not os.path.exists(self.path):
            dataset.export(self.path)  # the first run exports the survey
        return pd.read_csv(self.path)

    def train(self, df):
        X_train, X_test, y_train, y_test = train_test_split(
            df[NUMERIC + CATEGORICAL], df["species"], test_size=0.25, random_state=0, stratify=df["species"])
        self.pipeline.fit(X_train, y_train)
        return accuracy_score(y_test, self.pipeline.predict(X_test))

    def save(self, path="penguins.joblib"):
        joblib.dump(self.pipeline, path)


if __name__ == "__main__":
    model = SpeciesModel()
    survey = model.load()
    broken = broken_columns(survey)
    if broken:
        for column in broken:
            sys.stderr.write(f"schema error: {column}\n")
        raise SystemExit(65)
    accuracy = model.train(survey)
    print(f"accuracy: {accuracy:.4f}")
    model.save()
