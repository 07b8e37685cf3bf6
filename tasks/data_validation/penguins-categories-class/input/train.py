"""Classify penguin species from a survey CSV; the trained pipeline goes to penguins.joblib."""
import os

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
    accuracy = model.train(model.load())
    print(f"accuracy: {accuracy:.4f}")
    model.save()
