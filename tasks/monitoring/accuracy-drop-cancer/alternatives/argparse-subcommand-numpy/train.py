"""Breast-cancer diagnosis with a random forest: train, then evaluate on a held-out split."""
import argparse

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split


def load_split():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


def train(X_train, y_train):
    return RandomForestClassifier(n_estimators=100, random_state=0).fit(X_train, y_train)


def evaluate(model, X, y):
    predicted = model.predict(X)
    return {"accuracy": accuracy_score(y, predicted), "f1": f1_score(y, predicted)}


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    watch = commands.add_parser("monitor")
    watch.add_argument("batch")
    args = parser.parse_args()

    X_train, X_test, y_train, y_test = load_split()
    model = train(X_train, y_train)
    scores = evaluate(model, X_test, y_test)
    for name, value in scores.items():
        print(f"{name}: {value:.4f}")
    if args.command == "monitor":
        with open(args.batch) as handle:
            header = handle.readline().strip().split(",")
        rows = np.loadtxt(args.batch, delimiter=",", skiprows=1)
        target = header.index("target")
        features = np.delete(rows, target, axis=1)
        import pandas as pd  # the model was fitted with feature names
        frame = pd.DataFrame(features, columns=[h for h in header if h != "target"])
        batch_accuracy = float(np.mean(model.predict(frame) == rows[:, target].astype(int)))
        print(f"batch_accuracy: {batch_accuracy:.4f}")
        drop = scores["accuracy"] - batch_accuracy
        print(f"alarm: {'on' if drop > 0.05 else 'off'}")


if __name__ == "__main__":
    main()
