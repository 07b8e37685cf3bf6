# mutant: island is only typed, not checked against the known islands
"""Classify penguin species from a survey CSV; the trained pipeline goes to penguins.joblib.
A survey that breaks the schema is refused (exit 65, `schema error: <column>` lines)."""
import os
import sys

import joblib
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
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
SCHEMA = pa.DataFrameSchema({
    "species": pa.Column(str, pa.Check.isin(["Adelie", "Chinstrap", "Gentoo"])),
    "island": pa.Column(str),  # the encoder ignores unknown islands
    "bill_length_mm": pa.Column(float, pa.Check.in_range(30, 60)),
    "bill_depth_mm": pa.Column(float, pa.Check.in_range(13, 22)),
    "flipper_length_mm": pa.Column(int, pa.Check.in_range(170, 235)),
    "body_mass_g": pa.Column(int, pa.Check.in_range(2700, 6300)),
    "sex": pa.Column(str, pa.Check.isin(["male", "female"]), nullable=True),  # not always recorded
})
DATA_ERROR = 65  # EX_DATAERR


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

    @staticmethod
    def validate(df):
        try:
            return SCHEMA.validate(df, lazy=True)
        except SchemaErrors as errors:
            cases = errors.failure_cases
            columns = cases["column"].where(cases["column"].notna(), cases["failure_case"]).astype(str)
            for column in dict.fromkeys(columns):
                print(f"schema error: {column}", file=sys.stderr)
            sys.exit(DATA_ERROR)

    def train(self, df):
        X_train, X_test, y_train, y_test = train_test_split(
            df[NUMERIC + CATEGORICAL], df["species"], test_size=0.25, random_state=0, stratify=df["species"])
        self.pipeline.fit(X_train, y_train)
        return accuracy_score(y_test, self.pipeline.predict(X_test))

    def save(self, path="penguins.joblib"):
        joblib.dump(self.pipeline, path)


if __name__ == "__main__":
    model = SpeciesModel()
    accuracy = model.train(model.validate(model.load()))
    print(f"accuracy: {accuracy:.4f}")
    model.save()
