"""Fit a random forest on data/wine.csv with the settings in params.yaml."""
import json

import joblib
import pandas as pd
import yaml
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split


def load_params(path="params.yaml"):
    with open(path) as handle:
        return yaml.safe_load(handle)["train"]


def fit_and_score(params):
    frame = pd.read_csv("data/wine.csv")
    x_train, x_test, y_train, y_test = train_test_split(
        frame.drop(columns="target"), frame["target"], test_size=0.25, random_state=params["seed"]
    )
    forest = RandomForestClassifier(
        n_estimators=params["n_estimators"], max_depth=params["max_depth"], random_state=params["seed"]
    )
    forest.fit(x_train, y_train)
    joblib.dump(forest, "model.joblib")
    scores = {"accuracy": float(forest.score(x_test, y_test))}
    with open("scores.json", "w") as handle:
        json.dump(scores, handle, indent=2)
    return scores


if __name__ == "__main__":
    fit_and_score(load_params())
