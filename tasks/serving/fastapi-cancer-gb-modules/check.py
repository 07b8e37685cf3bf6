"""fastapi-cancer-gb-modules: `python3 train.py serve` serves cancer_gb.joblib on
127.0.0.1:8600: POST /classify {"measurements": rows of the 30 raw measurements} answers the
model's classes and both class probabilities for the inputs features.py builds from random
breast-cancer rows; training and its output are unchanged."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_score, assert_serves_model, require_success
from features import build_features  # the task's pristine module, served by the judge


class RawRowModel:
    """The original program's model, retrained here (it is deterministic), taking raw rows."""

    def __init__(self):
        X, y = load_breast_cancer(return_X_y=True)
        X_train, _, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
        self.model = GradientBoostingClassifier(n_estimators=80, max_depth=2, learning_rate=0.1, random_state=0)
        self.model.fit(build_features(X_train), y_train)

    def predict(self, rows):
        return self.model.predict(build_features(rows))

    def predict_proba(self, rows):
        return self.model.predict_proba(build_features(rows))


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
assert_same_score("roc_auc")
assert_serves_model(RawRowModel(), answer="classes", probabilities="probabilities")  # task.toml's `after`
print("ok")
