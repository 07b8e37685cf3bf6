# mutant: roc_auc metric logged from the hard predictions instead of the probabilities
"""Gradient boosting on the breast cancer data set."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score

from data import DATASET, load_split

PARAMS = {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 2, "subsample": 0.8, "random_state": 0}


def main():
    mlflow.set_tracking_uri("file:./mlruns")
    mlflow.set_experiment("cancer-boosting")
    X_train, X_test, y_train, y_test = load_split()
    with mlflow.start_run():
        mlflow.set_tag("dataset", DATASET)
        mlflow.log_params(PARAMS)
        model = GradientBoostingClassifier(**PARAMS).fit(X_train, y_train)
        accuracy = accuracy_score(y_test, model.predict(X_test))
        roc_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
        mlflow.log_metrics({"accuracy": accuracy, "roc_auc": roc_auc_score(y_test, model.predict(X_test))})
        importances = dict(zip(X_train.columns, model.feature_importances_.tolist()))
        mlflow.log_dict(importances, "feature_importances.json")
        mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
    print(f"accuracy: {accuracy:.4f}")
    print(f"roc_auc: {roc_auc:.4f}")


if __name__ == "__main__":
    main()
