"""Compare a nearest-neighbours classifier and a decision tree on the iris data."""
from sklearn.metrics import accuracy_score, f1_score

from data import load_split
from models import make_model

SPLIT = {"test_size": 0.5, "seed": 3}
MODELS = {
    "knn": {"n_neighbors": 9, "weights": "distance"},
    "tree": {"max_depth": 3, "min_samples_leaf": 4, "seed": 0},
}

X_train, X_test, y_train, y_test = load_split(**SPLIT)
for kind, settings in MODELS.items():
    predicted = make_model(kind, settings).fit(X_train, y_train).predict(X_test)
    print(f"{kind}_accuracy: {accuracy_score(y_test, predicted):.4f}")
    print(f"{kind}_f1_macro: {f1_score(y_test, predicted, average='macro'):.4f}")
