"""mlflow-registry-serve-digits: ./registry.db holds "digits-svc" with exactly version 1, the
trained SVC, and the alias "production" on it; `python3 train.py serve` serves that version
on 127.0.0.1:5003: POST /invocations {"inputs": rows} answers the SVC's digits for random
images; training and its scores are unchanged."""
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from benchcheck import (
    assert_same_score,
    mlflow_model,
    mlflow_sqlite_registry,
    require_success,
    single_model_version,
)
from benchcheck.mlflow_serving import as_list, assert_same_outputs, assert_serves_outputs


def reference_model():
    """The original program's SVC, refit here (it is deterministic), and its test rows."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    return SVC(C=5.0, gamma=0.001).fit(X_train, y_train), X_test


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
assert_same_score("f1_macro")
model, X_test = reference_model()

client = mlflow_sqlite_registry("registry.db")
single_model_version(client, "digits-svc", "production")
registered = mlflow_model("models:/digits-svc@production", what="version 1 of digits-svc")
assert_same_outputs(as_list(registered.predict(X_test)), model.predict(X_test).tolist(),
                    "the registered model's digits")

# Through task.toml's `after`: what the server answered for the images the client drew.
assert_serves_outputs(lambda rows: model.predict(rows).tolist())
print("ok")
