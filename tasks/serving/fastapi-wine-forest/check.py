"""fastapi-wine-forest: `python3 train.py --serve` serves forest.joblib on 127.0.0.1:8080:
POST /predict {"features": row} answers the forest's label and class probabilities for
random wine rows, one request each; training and its output are unchanged."""
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_score, assert_serves_model, require_success


def reference_model():
    """The original program's forest, retrained here (it is deterministic)."""
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
    return RandomForestClassifier(n_estimators=40, max_depth=5, random_state=7).fit(X_train, y_train)


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
assert_serves_model(reference_model(), answer="label", probabilities="probabilities")  # task.toml's `after`
print("ok")
