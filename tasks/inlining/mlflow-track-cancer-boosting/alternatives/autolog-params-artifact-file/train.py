# alternative: scikit-learn autolog records the estimator's params (models off), the run is
# opened and closed explicitly, the tag and metrics go through set_tags/log_metric, and the
# importances are written to a JSON file that log_artifact uploads.
"""Gradient boosting on the breast cancer data set."""
import json
import os
import tempfile

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow
import mlflow.sklearn
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score

import data
from data import load_split

PARAMS = {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 2, "subsample": 0.8, "random_state": 0}


def write_importances(model, columns, folder):
    path = os.path.join(folder, "feature_importances.json")
    with open(path, "w") as out:
        json.dump({column: float(value) for column, value in zip(columns, model.feature_importances_)}, out)
    return path


def main():
    mlflow.set_tracking_uri("file:./mlruns")
    mlflow.set_experiment("cancer-boosting")
    mlflow.sklearn.autolog(log_models=False, log_datasets=False, log_post_training_metrics=False, silent=True)
    X_train, X_test, y_train, y_test = load_split()
    mlflow.start_run()
    try:
        mlflow.set_tags({"dataset": data.DATASET})
        model = GradientBoostingClassifier(**PARAMS).fit(X_train, y_train)  # autolog logs PARAMS
        accuracy = accuracy_score(y_test, model.predict(X_test))
        roc_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
        mlflow.log_metric("accuracy", accuracy)
        mlflow.log_metric("roc_auc", roc_auc)
        with tempfile.TemporaryDirectory() as folder:
            mlflow.log_artifact(write_importances(model, X_train.columns, folder))
        mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
    finally:
        mlflow.end_run()
    print(f"accuracy: {accuracy:.4f}")
    print(f"roc_auc: {roc_auc:.4f}")


if __name__ == "__main__":
    main()
