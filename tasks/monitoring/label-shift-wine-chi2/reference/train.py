"""A k-nearest-neighbours wine classifier, wrapped in a class; with --labels, a label-shift
check of a labelled batch against the training class mix."""
import argparse

import numpy as np
import pandas as pd
from scipy.stats import chisquare
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
        self.class_shares = pd.Series(y).value_counts(normalize=True).sort_index()
        return self

    def accuracy(self, X, y):
        return self.model.score(X, y)

    def label_shift(self, labels, alpha=0.01):
        """Chi-square goodness of fit of the batch's class counts to the training shares."""
        observed = pd.Series(labels).value_counts().reindex(self.class_shares.index, fill_value=0)
        expected = self.class_shares * observed.sum()
        p_value = chisquare(observed.to_numpy(), f_exp=expected.to_numpy()).pvalue
        return bool(p_value < alpha), float(p_value)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", help="a labelled batch (CSV with a target column) to check for label shift")
    args = parser.parse_args()
    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    classifier = WineClassifier().fit(X_train, y_train)
    print(f"accuracy: {classifier.accuracy(X_test, y_test):.4f}")
    if args.labels:
        shifted, p_value = classifier.label_shift(pd.read_csv(args.labels)["target"])
        print(f"p_value: {p_value:.6g}")
        print(f"label_shift: {'yes' if shifted else 'no'}")
