# alternative: minimal cost-complexity pruning (ccp_alpha) of a 60-tree forest, saved with zlib compression
"""Random forest on the digits data set, saved with joblib."""
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


def pruned_forest(n_trees, alpha):
    """Each tree is cut back where a subtree buys less than alpha of impurity per leaf."""
    return RandomForestClassifier(n_estimators=n_trees, ccp_alpha=alpha, random_state=0).fit(X_train, y_train)


compact = pruned_forest(60, 0.001)
joblib.dump(compact, "forest_small.joblib", compress=("zlib", 3))
print(f"small_accuracy: {compact.score(X_test, y_test):.4f}")
