# mutant: only the numeric columns are tested, so a changed mix of channels or devices goes unnoticed
"""Predict session conversion (one-hot categories + gradient boosting) and report it; with
--drift BATCH, test each column of a batch of sessions against the training sessions."""
import argparse

import pandas as pd
from scipy.stats import chisquare, ks_2samp
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import feed

CATEGORICAL = ["channel", "device"]
NUMERIC = ["pages", "duration"]
ALPHA = 0.01


def drifted_columns(train, batch):
    drifted = []
    for column in NUMERIC:
        if ks_2samp(train[column], batch[column]).pvalue < ALPHA:
            drifted.append(column)
    return drifted


parser = argparse.ArgumentParser()
parser.add_argument("--drift", metavar="BATCH")
args = parser.parse_args()

data = feed.sessions(2000, seed=0)
X_train, X_test, y_train, y_test = train_test_split(
    data[CATEGORICAL + NUMERIC], data["converted"], test_size=0.25, random_state=0)
model = make_pipeline(
    make_column_transformer((OneHotEncoder(), CATEGORICAL), remainder="passthrough"),
    GradientBoostingClassifier(random_state=0),
).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
print(f"roc_auc: {roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]):.4f}")

if args.drift:
    drifted = drifted_columns(X_train, pd.read_csv(args.drift))
    print(f"drifted_columns: {', '.join(drifted) if drifted else 'none'}")
