# mutant: the compact forest is cut to 5 depth-3 trees, losing far more than 0.02 accuracy
"""Random forest on the digits data set, saved with joblib, plus a compact
forest for deployment."""
import os

import joblib
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)

forest = RandomForestClassifier(n_estimators=150, random_state=0)
forest.fit(X_train, y_train)
print(f"accuracy: {forest.score(X_test, y_test):.4f}")

joblib.dump(forest, "forest.joblib")

# Fewer, shallower trees and a compressed pickle: most of the size, little of the accuracy.
small = RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0)
small.fit(X_train, y_train)
joblib.dump(small, "forest_small.joblib", compress=3)
print(f"small_accuracy: {small.score(X_test, y_test):.4f}")
print(f"small_size_bytes: {os.path.getsize('forest_small.joblib')}")
