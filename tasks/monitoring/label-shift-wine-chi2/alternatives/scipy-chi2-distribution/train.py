"""A k-nearest-neighbours wine classifier, wrapped in a class."""
import sys

import numpy as np
import pandas as pd
from scipy import stats
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
        self.y_train = np.asarray(y)
        return self

    def accuracy(self, X, y):
        return self.model.score(X, y)


class LabelShiftMonitor:
    def __init__(self, reference_labels, alpha=0.01):
        self.classes, counts = np.unique(reference_labels, return_counts=True)
        self.shares = counts / counts.sum()
        self.alpha = alpha

    def p_value(self, labels):
        labels = np.asarray(labels)
        observed = np.array([(labels == c).sum() for c in self.classes])
        expected = self.shares * observed.sum()
        statistic = ((observed - expected) ** 2 / expected).sum()
        return float(stats.chi2.sf(statistic, df=len(self.classes) - 1))


if __name__ == "__main__":
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    classifier = WineClassifier().fit(X_train, y_train)
    print(f"accuracy: {classifier.accuracy(X_test, y_test):.4f}")
    if "--labels" in sys.argv:
        path = sys.argv[sys.argv.index("--labels") + 1]
        monitor = LabelShiftMonitor(classifier.y_train)
        p = monitor.p_value(pd.read_csv(path)["target"])
        print(f"p_value: {p}")
        print(f"label_shift: {'yes' if p < monitor.alpha else 'no'}")
