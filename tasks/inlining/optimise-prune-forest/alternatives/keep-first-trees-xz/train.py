# alternative: prune the fitted forest itself (keep its first 30 trees), saved with xz compression
"""Random forest on the digits data set, saved with joblib."""
import copy
import os

import joblib
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

N_KEPT = 30

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)

forest = RandomForestClassifier(n_estimators=150, random_state=0)
forest.fit(X_train, y_train)
print(f"accuracy: {forest.score(X_test, y_test):.4f}")

joblib.dump(forest, "forest.joblib")


def keep_first_trees(model, n):
    """A copy of the fitted forest that votes with only its first n trees."""
    pruned = copy.deepcopy(model)
    pruned.estimators_ = pruned.estimators_[:n]
    pruned.n_estimators = n
    return pruned


small = keep_first_trees(forest, N_KEPT)
joblib.dump(small, "forest_small.joblib", compress=("xz", 9))
print(f"small_accuracy: {small.score(X_test, y_test):.4f}")
print(f"small_size_bytes: {os.path.getsize('forest_small.joblib')}")
