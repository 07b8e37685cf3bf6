"""Breast-cancer diagnosis with a random forest: train, then evaluate on a held-out split."""
import sys

import pandas as pd
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


class PerformanceMonitor:
    def __init__(self, model, feature_names, baseline, tolerance=0.05):
        self.model, self.features, self.baseline, self.tolerance = model, list(feature_names), baseline, tolerance

    def check(self, batch: pd.DataFrame) -> tuple[float, bool]:
        correct = self.model.predict(batch[self.features]) == batch["target"].to_numpy()
        accuracy = float(correct.mean())
        return accuracy, accuracy < self.baseline - self.tolerance


def main():
    X_train, X_test, y_train, y_test = load_split()
    model = train(X_train, y_train)
    scores = evaluate(model, X_test, y_test)
    for name, value in scores.items():
        print(f"{name}: {value:.4f}")
    if sys.argv[1:2] == ["monitor"]:
        accuracy, alarm = PerformanceMonitor(model, X_train.columns, scores["accuracy"]).check(pd.read_csv(sys.argv[2]))
        print(f"batch_accuracy: {accuracy:.4f}")
        print(f"alarm: {'on' if alarm else 'off'}")


if __name__ == "__main__":
    main()
