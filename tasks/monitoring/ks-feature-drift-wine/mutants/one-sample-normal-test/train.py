# mutant: a one-sample test of each batch column against a normal distribution, not against the training data
"""Train a random forest on the wine data set and report its test accuracy; with --batch,
also check a batch of incoming measurements for drift against the training data."""
import argparse

import pandas as pd
from scipy.stats import kstest
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

ALPHA = 0.01

parser = argparse.ArgumentParser()
parser.add_argument("--batch", help="a CSV of incoming measurements to check for drift")
args = parser.parse_args()

X, y = load_wine(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

model = RandomForestClassifier(n_estimators=200, random_state=0)
model.fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")

if args.batch:
    batch = pd.read_csv(args.batch)
    drifted = [column for column in X_train.columns
               if kstest(batch[column], "norm").pvalue < ALPHA]
    print(f"drift: {'yes' if drifted else 'no'}")
    print(f"drifted: {', '.join(drifted) if drifted else 'none'}")
