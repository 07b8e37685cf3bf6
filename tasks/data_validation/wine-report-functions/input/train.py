"""Train a gradient-boosting classifier on the wine CSV and save it to forest.joblib."""
import os

import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

import dataset

DATA = "wine.csv"
FEATURES = ["alcohol", "malic_acid", "magnesium", "flavanoids", "color_intensity", "hue", "proline"]


def load(path):
    if not os.path.exists(path):
        dataset.export(path)  # the first run exports the bundled data set
    return pd.read_csv(path)


def fit(df):
    X_train, X_test, y_train, y_test = train_test_split(
        df[FEATURES], df["cultivar"], test_size=0.3, random_state=5, stratify=df["cultivar"])
    model = GradientBoostingClassifier(n_estimators=50, random_state=0).fit(X_train, y_train)
    return model, accuracy_score(y_test, model.predict(X_test))


def main():
    model, accuracy = fit(load(DATA))
    print(f"accuracy: {accuracy:.4f}")
    joblib.dump(model, "forest.joblib")


if __name__ == "__main__":
    main()
