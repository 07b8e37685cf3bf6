"""Train a logistic-regression digit classifier from the command line."""
import argparse
import sys

import numpy as np
import pandas as pd
from scipy.special import gammaincc
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=0.1)
    parser.add_argument("--test-size", type=float, default=0.3)
    sub = parser.add_subparsers(dest="command")
    monitor = sub.add_parser("monitor")
    monitor.add_argument("batch")
    # Options may also come after the subcommand.
    monitor.add_argument("--C", type=float, default=argparse.SUPPRESS)
    monitor.add_argument("--test-size", type=float, default=argparse.SUPPRESS)
    return parser.parse_args(argv)


def chi_square_pvalue(observed, expected):
    statistic = float(((observed - expected) ** 2 / expected).sum())
    dof = len(observed) - 1
    return float(gammaincc(dof / 2, statistic / 2))  # the chi-square survival function


def main(argv):
    args = parse_args(argv)
    X, y = load_digits(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=4, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=2000))
    model.fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    if args.command != "monitor":
        return 0
    predicted = model.predict(pd.read_csv(args.batch)[list(X.columns)])
    classes = np.arange(10)
    observed = np.array([(predicted == c).sum() for c in classes], dtype=float)
    train_shares = np.array([(y_train.to_numpy() == c).mean() for c in classes])
    p = chi_square_pvalue(observed, train_shares * observed.sum())
    print(f"p_value: {p}")
    return 3 if p < 0.001 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
