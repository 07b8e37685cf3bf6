# mutant: the training shares are passed as expected counts (scipy refuses sums that differ)
"""Train a logistic-regression digit classifier from the command line; `monitor BATCH`
also checks the mix of digits the model predicts on an unlabelled batch."""
import argparse
import sys

import numpy as np
import pandas as pd
from scipy.stats import chisquare
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ALPHA = 0.001
DRIFT_EXIT = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--C", type=float, default=0.1)
    parser.add_argument("--test-size", type=float, default=0.3)
    parser.add_argument("command", nargs="?", choices=["monitor"])
    parser.add_argument("batch", nargs="?")
    return parser.parse_args()


def prediction_drift(model, batch, train_labels):
    """p-value of the batch's predicted-digit counts against the training label shares."""
    shares = pd.Series(train_labels).value_counts(normalize=True).sort_index()
    counts = np.bincount(model.predict(batch), minlength=len(shares))
    return chisquare(counts, f_exp=shares.to_numpy()).pvalue


def main():
    args = parse_args()
    X, y = load_digits(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=4, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=2000))
    model.fit(X_train, y_train)
    print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
    if args.command == "monitor":
        p_value = prediction_drift(model, pd.read_csv(args.batch), y_train)
        print(f"p_value: {p_value:.6g}")
        if p_value < ALPHA:
            print("prediction drift detected", file=sys.stderr)
            sys.exit(DRIFT_EXIT)


if __name__ == "__main__":
    main()
