# alternative: no fluent run at all; a small SweepTracker wraps MlflowClient: the parent run
# is created with run_name "sweep", each child is created with the mlflow.parentRunId tag and
# written in one log_batch, the model is saved with save_model and uploaded with
# log_artifacts, and every run is closed with set_terminated.
"""Choose Ridge's alpha on the diabetes data by 5-fold cross-validation, then test it."""
import os
import tempfile
import time

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow.sklearn
from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_score, train_test_split

ALPHAS = [0.01, 0.1, 1.0, 10.0]


class SweepTracker:
    def __init__(self, experiment_name, uri="file:./mlruns"):
        self.client = MlflowClient(tracking_uri=uri)
        experiment = self.client.get_experiment_by_name(experiment_name)
        self.experiment_id = (experiment.experiment_id if experiment
                              else self.client.create_experiment(experiment_name))
        self.parent_id = self.client.create_run(self.experiment_id, run_name="sweep").info.run_id

    def child(self, alpha, cv_r2):
        run_id = self.client.create_run(self.experiment_id, tags={MLFLOW_PARENT_RUN_ID: self.parent_id}).info.run_id
        self.client.log_batch(run_id, metrics=[Metric("cv_r2", float(cv_r2), int(time.time() * 1000), 0)],
                              params=[Param("alpha", str(alpha))])
        self.client.set_terminated(run_id)

    def close(self, best_alpha, r2, model):
        self.client.log_param(self.parent_id, "best_alpha", best_alpha)
        self.client.log_metric(self.parent_id, "r2", r2)
        with tempfile.TemporaryDirectory() as folder:
            saved = os.path.join(folder, "model")
            mlflow.sklearn.save_model(model, saved)
            self.client.log_artifacts(self.parent_id, saved, artifact_path="model")
        self.client.set_terminated(self.parent_id)


def cv_score(alpha, X, y):
    return cross_val_score(Ridge(alpha=alpha), X, y, cv=5, scoring="r2").mean()


def main():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
    tracker = SweepTracker("diabetes-ridge-sweep")
    scores = {}
    for alpha in ALPHAS:
        scores[alpha] = cv_score(alpha, X_train, y_train)
        tracker.child(alpha, scores[alpha])
        print(f"alpha={alpha}: cv_r2={scores[alpha]:.4f}")
    best_alpha = max(scores, key=scores.get)
    model = Ridge(alpha=best_alpha).fit(X_train, y_train)
    r2 = r2_score(y_test, model.predict(X_test))
    tracker.close(best_alpha, r2, model)
    print(f"best_alpha: {best_alpha}")
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
