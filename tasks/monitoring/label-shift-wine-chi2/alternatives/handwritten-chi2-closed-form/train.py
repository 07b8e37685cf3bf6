"""A k-nearest-neighbours wine classifier, wrapped in a class."""
import argparse
import csv
import math
from collections import Counter

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class WineClassifier:
    def __init__(self, n_neighbors=7):
        self.model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=n_neighbors))

    def fit(self, X, y):
        self.model.fit(X, y)
        self.train_counts = Counter(int(v) for v in y)
        return self

    def accuracy(self, X, y):
        return self.model.score(X, y)


def chi_square_p(observed, shares):
    """Pearson's goodness-of-fit test; with 3 classes (2 degrees of freedom) the chi-square
    survival function is exactly exp(-x / 2)."""
    n = sum(observed.values())
    statistic = sum((observed.get(k, 0) - n * s) ** 2 / (n * s) for k, s in shares.items())
    assert len(shares) == 3
    return math.exp(-statistic / 2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels")
    args = parser.parse_args()
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    classifier = WineClassifier().fit(X_train, y_train)
    print(f"accuracy: {classifier.accuracy(X_test, y_test):.4f}")
    if args.labels:
        with open(args.labels, newline="") as handle:
            counts = Counter(int(float(row["target"])) for row in csv.DictReader(handle))
        total = sum(classifier.train_counts.values())
        p = chi_square_p(counts, {k: c / total for k, c in classifier.train_counts.items()})
        print("p_value:", p)
        print("label_shift:", "yes" if p < 0.01 else "no")
