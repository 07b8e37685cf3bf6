"""mlflow-serve-cancer-extratrees: one finished run in ./mlruns's "cancer-extratrees" holds the
trained extra-trees model as an MLflow model, and `python3 train.py serve` serves it on
127.0.0.1:5001: POST /invocations with a split DataFrame of random rows (the 30 named
columns) answers the model's class probabilities; training and its scores are unchanged."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import train_test_split

from benchcheck import assert_same_score, mlflow_model, mlflow_single_run, require_success
from benchcheck.mlflow_serving import as_list, assert_same_outputs, assert_serves_outputs, run_logged_model


def reference_model():
    """The original program's model, retrained here (it is deterministic)."""
    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=11, stratify=data.target)
    model = ExtraTreesClassifier(n_estimators=50, max_depth=6, random_state=11)
    return model.fit(X_train, y_train), X_test


require_success()  # the program ran to the end, before anything else
assert_same_score("accuracy")
assert_same_score("log_loss")
model, X_test = reference_model()

client, run = mlflow_single_run("cancer-extratrees")
logged = mlflow_model(run_logged_model(client, run), what="the run's logged model")
# A scikit-learn model comes back as itself (its probabilities), a custom pyfunc model as
# its predictions: either way, the trained model's class probabilities.
got = logged.predict_proba(X_test) if hasattr(logged, "predict_proba") else logged.predict(X_test)
assert_same_outputs(as_list(got), model.predict_proba(X_test).tolist(), "the logged model's probabilities")

# Through task.toml's `after`: what the server answered for the rows the client drew.
assert_serves_outputs(lambda rows: model.predict_proba(rows).tolist())
print("ok")
