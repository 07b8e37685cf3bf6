"""Train a random forest on the wine data set and report its test accuracy; with --batch,
also check a batch of incoming measurements for drift against the training data."""
import argparse
import math

import numpy as np
import pandas as pd
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def ks_pvalue(a, b):
    """Two-sample Kolmogorov-Smirnov test, asymptotic p-value (Kolmogorov's series)."""
    a, b = np.sort(np.asarray(a, float)), np.sort(np.asarray(b, float))
    grid = np.concatenate([a, b])
    d = np.max(np.abs(np.searchsorted(a, grid, side="right") / len(a)
                      - np.searchsorted(b, grid, side="right") / len(b)))
    n = len(a) * len(b) / (len(a) + len(b))
    lam = (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n)) * d
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))
    return min(max(p, 0.0), 1.0)


parser = argparse.ArgumentParser()
parser.add_argument("--batch")
args = parser.parse_args()

X, y = load_wine(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
model = RandomForestClassifier(n_estimators=200, random_state=0)
model.fit(X_train, y_train)
print(f"accuracy: {accuracy_score(y_test, model.predict(X_test)):.4f}")

if args.batch:
    batch = pd.read_csv(args.batch)
    pvalues = {c: ks_pvalue(X_train[c], batch[c]) for c in X_train.columns}
    drifted = [c for c, p in pvalues.items() if p < 0.01]
    print("drift: yes" if drifted else "drift: no")
    print("drifted: " + (", ".join(drifted) if drifted else "none"))
