"""The two steps of the breast cancer workflow; run as `python3 steps.py prepare|train`."""
import json
import os
import pickle
import sys

import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier


def prepare(raw="data/raw.csv", out="data/prepared"):
    frame = pd.read_csv(raw)
    train, test = train_test_split(frame, test_size=0.3, random_state=1, stratify=frame["target"])
    os.makedirs(out, exist_ok=True)
    train.to_csv(os.path.join(out, "train.csv"), index=False)
    test.to_csv(os.path.join(out, "test.csv"), index=False)


def train(prepared="data/prepared"):
    train_frame = pd.read_csv(os.path.join(prepared, "train.csv"))
    test_frame = pd.read_csv(os.path.join(prepared, "test.csv"))
    tree = DecisionTreeClassifier(max_depth=3, random_state=1)
    tree.fit(train_frame.drop(columns="target"), train_frame["target"])
    predicted = tree.predict(test_frame.drop(columns="target"))
    metrics = {
        "accuracy": float((predicted == test_frame["target"]).mean()),
        "f1": float(f1_score(test_frame["target"], predicted)),
    }
    with open("model.pkl", "wb") as handle:
        pickle.dump(tree, handle)
    with open("metrics.json", "w") as handle:
        json.dump(metrics, handle)
    return metrics


if __name__ == "__main__":
    {"prepare": prepare, "train": train}[sys.argv[1]]()
