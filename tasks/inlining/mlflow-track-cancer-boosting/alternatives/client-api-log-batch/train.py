# alternative: MlflowClient creates the run and logs params/metrics/tag in one log_batch; the model joins the run by id
"""Gradient boosting on the breast cancer data set."""
import os
import time

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, roc_auc_score

import data
from data import load_split

PARAMS = {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 2, "subsample": 0.8, "random_state": 0}
TRACKING_URI = "file:./mlruns"


def track(model, columns, scores):
    """Record one finished run for the fitted model."""
    mlflow.set_tracking_uri(TRACKING_URI)
    client = MlflowClient(tracking_uri=TRACKING_URI)
    experiment = client.get_experiment_by_name("cancer-boosting")
    experiment_id = experiment.experiment_id if experiment else client.create_experiment("cancer-boosting")
    run = client.create_run(experiment_id)
    run_id = run.info.run_id
    now = int(time.time() * 1000)
    client.log_batch(
        run_id,
        metrics=[Metric(name, float(value), now, 0) for name, value in scores.items()],
        params=[Param(name, str(value)) for name, value in PARAMS.items()],
        tags=[RunTag("dataset", data.DATASET)],
    )
    client.log_dict(run_id, {c: float(v) for c, v in zip(columns, model.feature_importances_)},
                    "feature_importances.json")
    with mlflow.start_run(run_id=run_id):  # resumes the run, ends it FINISHED
        mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")


def main():
    X_train, X_test, y_train, y_test = load_split()
    model = GradientBoostingClassifier(**PARAMS).fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    roc_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    track(model, list(X_train.columns), {"accuracy": accuracy, "roc_auc": roc_auc})
    print(f"accuracy: {accuracy:.4f}")
    print(f"roc_auc: {roc_auc:.4f}")


if __name__ == "__main__":
    main()
