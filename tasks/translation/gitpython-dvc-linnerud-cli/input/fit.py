"""Multi-output ridge regression on data/linnerud.csv -> model.pkl, metrics.yaml."""
import pickle

import pandas as pd
import yaml
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_predict
from sklearn.metrics import r2_score

TARGETS = ["Weight", "Waist", "Pulse"]


def fit():
    frame = pd.read_csv("data/linnerud.csv")
    features, targets = frame.drop(columns=TARGETS), frame[TARGETS]
    model = Ridge(alpha=10.0)
    predicted = cross_val_predict(model, features, targets, cv=4)
    r2 = float(r2_score(targets, predicted))
    with open("model.pkl", "wb") as handle:
        pickle.dump(model.fit(features, targets), handle)
    with open("metrics.yaml", "w") as handle:
        yaml.safe_dump({"r2": r2}, handle)
    return r2


if __name__ == "__main__":
    fit()
