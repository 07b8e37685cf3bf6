"""Train a logistic-regression digit classifier from the command line."""
import argparse
import sys

import pandas as pd
from scipy import stats
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class DriftMonitor:
    """Compares the digits a model predicts on a batch with the training label mix."""

    def __init__(self, model, train_labels, alpha=0.001):
        self.model, self.alpha = model, alpha
        self.shares = pd.Series(train_labels).value_counts(normalize=True).sort_index()

    def p_value(self, batch):
        predicted = pd.Series(self.model.predict(batch))
        counts = predicted.value_counts().reindex(self.shares.index, fill_value=0)
        result = stats.power_divergence(counts.to_numpy(), self.shares.to_numpy() * len(predicted),
                                        lambda_="pearson")
        return result.pvalue


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=0.1)
    parser.add_argument("--test-size", type=float, default=0.3)
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    X, y = load_digits(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=4, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=2000))
    model.fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    if args.rest[:1] == ["monitor"]:
        monitor = DriftMonitor(model, y_train)
        p = monitor.p_value(pd.read_csv(args.rest[1]))
        print("p_value:", round(p, 12))
        if p < monitor.alpha:
            sys.exit(3)


if __name__ == "__main__":
    main()
