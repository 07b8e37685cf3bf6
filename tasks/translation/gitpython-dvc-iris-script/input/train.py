"""Train a logistic regression on data/iris.csv; write model.pkl and metrics.json."""
import json
import pickle

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def main():
    frame = pd.read_csv("data/iris.csv")
    features, target = frame.drop(columns="target"), frame["target"]
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=0.3, random_state=0, stratify=target
    )
    model = LogisticRegression(max_iter=500).fit(x_train, y_train)
    metrics = {"accuracy": float(model.score(x_test, y_test))}
    with open("model.pkl", "wb") as handle:
        pickle.dump(model, handle)
    with open("metrics.json", "w") as handle:
        json.dump(metrics, handle)
    return metrics


if __name__ == "__main__":
    main()
