"""flask-wine-knn-validation: `python3 train.py --serve` serves the model config.json names
on 127.0.0.1:7000: GET /health answers 200, POST /predict {"rows": rows} answers the
model's classes for random wine rows, and every malformed request (a batch whose last row
is short, long, text, null or a number; an empty object; no JSON) gets a 4xx while the
server keeps serving; training and its output are unchanged."""
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchcheck import assert_rejects_malformed, assert_same_score, assert_serves_model, require_success


def reference_model():
    """The original program's model for config.json's settings, retrained here (deterministic)."""
    X, y = load_wine(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7, weights="distance")).fit(X_train, y_train)


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
assert_same_score("balanced_accuracy")
assert_serves_model(reference_model())  # task.toml's `after`: the valid batches, before and after the malformed ones
assert_rejects_malformed()
print("ok")
