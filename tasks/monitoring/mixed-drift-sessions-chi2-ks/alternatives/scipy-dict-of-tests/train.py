"""Predict session conversion (one-hot categories + gradient boosting) and report it."""
import sys

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import feed

CATEGORICAL = ["channel", "device"]
NUMERIC = ["pages", "duration"]


def category_test(reference, current):
    categories = sorted(set(reference))
    expected = np.array([np.mean(reference == c) for c in categories]) * len(current)
    observed = np.array([np.sum(current == c) for c in categories])
    return stats.power_divergence(observed, expected, lambda_="pearson").pvalue


TESTS = {**{c: category_test for c in CATEGORICAL},
         **{c: lambda a, b: stats.kstest(a, b).pvalue for c in NUMERIC}}

data = feed.sessions(2000, seed=0)
X_train, X_test, y_train, y_test = train_test_split(
    data[CATEGORICAL + NUMERIC], data["converted"], test_size=0.25, random_state=0)
model = make_pipeline(
    make_column_transformer((OneHotEncoder(), CATEGORICAL), remainder="passthrough"),
    GradientBoostingClassifier(random_state=0),
).fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")
print(f"roc_auc: {roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]):.4f}")

if "--drift" in sys.argv:
    batch = pd.read_csv(sys.argv[sys.argv.index("--drift") + 1])
    pvalues = {c: test(X_train[c].to_numpy(), batch[c].to_numpy()) for c, test in TESTS.items()}
    print("drifted_columns:", ", ".join(c for c, p in pvalues.items() if p < 0.01) or "none")
