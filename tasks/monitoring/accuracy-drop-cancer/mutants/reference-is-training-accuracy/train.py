# mutant: the batch is compared with the accuracy on the training split (1.0 for a forest), not on the test split
"""Breast-cancer diagnosis with a random forest: train, then evaluate on a held-out split.
`python3 train.py monitor BATCH.csv` also checks a labelled batch for a performance drop."""
import sys

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

MAX_DROP = 0.05  # alarm when the batch accuracy is this far below the test accuracy


def load_split():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


def train(X_train, y_train):
    return RandomForestClassifier(n_estimators=100, random_state=0).fit(X_train, y_train)


def evaluate(model, X, y):
    predicted = model.predict(X)
    return {"accuracy": accuracy_score(y, predicted), "f1": f1_score(y, predicted)}


def monitor(model, path, reference_accuracy):
    batch = pd.read_csv(path)
    accuracy = accuracy_score(batch["target"], model.predict(batch.drop(columns="target")))
    print(f"batch_accuracy: {accuracy:.4f}")
    print("alarm: on" if accuracy < reference_accuracy - MAX_DROP else "alarm: off")


def main():
    X_train, X_test, y_train, y_test = load_split()
    model = train(X_train, y_train)
    scores = evaluate(model, X_test, y_test)
    for name, value in scores.items():
        print(f"{name}: {value:.4f}")
    if len(sys.argv) == 3 and sys.argv[1] == "monitor":
        monitor(model, sys.argv[2], accuracy_score(y_train, model.predict(X_train)))


if __name__ == "__main__":
    main()
