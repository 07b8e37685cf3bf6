"""Predict session conversion (one-hot categories + gradient boosting) and report it."""
import argparse
import math
from collections import Counter

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import feed

CATEGORICAL = ["channel", "device"]
NUMERIC = ["pages", "duration"]


def chi2_sf(x, k):
    """Chi-square survival function for k degrees of freedom (regularised upper gamma, series)."""
    if x <= 0:
        return 1.0
    a, total, term = k / 2, 0.0, 1.0 / (k / 2)
    for n in range(1, 500):
        total += term
        term *= (x / 2) / (a + n)
    lower = math.exp(-x / 2 + a * math.log(x / 2) - math.lgamma(a)) * total
    return max(0.0, 1.0 - lower)


def goodness_of_fit(reference, current):
    shares = {k: v / len(reference) for k, v in Counter(reference).items()}
    counts = Counter(current)
    n = len(current)
    statistic = sum((counts.get(k, 0) - n * s) ** 2 / (n * s) for k, s in shares.items())
    return chi2_sf(statistic, len(shares) - 1)


def kolmogorov_smirnov(a, b):
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    d = np.abs(np.searchsorted(a, grid, "right") / len(a) - np.searchsorted(b, grid, "right") / len(b)).max()
    en = math.sqrt(len(a) * len(b) / (len(a) + len(b)))
    lam = (en + 0.12 + 0.11 / en) * d
    return min(1.0, max(0.0, 2 * sum((-1) ** (j - 1) * math.exp(-2 * (j * lam) ** 2) for j in range(1, 101))))


parser = argparse.ArgumentParser()
parser.add_argument("--drift")
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
    batch = pd.read_csv(args.drift)
    found = [c for c in CATEGORICAL if goodness_of_fit(list(X_train[c]), list(batch[c])) < 0.01]
    found += [c for c in NUMERIC if kolmogorov_smirnov(X_train[c].to_numpy(float), batch[c].to_numpy(float)) < 0.01]
    print("drifted_columns: " + (", ".join(found) or "none"))
