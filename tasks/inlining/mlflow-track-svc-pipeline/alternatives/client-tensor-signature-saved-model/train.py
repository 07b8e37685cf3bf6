# alternative: no fluent run; MlflowClient creates the run and logs params and metrics in one
# log_batch; the signature is built by hand as one float64 tensor of shape (-1, 12), the
# pipeline is saved with save_model and uploaded with log_artifacts; set_terminated closes.
"""An RBF support vector classifier on a synthetic binary problem."""
import os
import tempfile
import time

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow.sklearn
import numpy as np
from mlflow.entities import Metric, Param
from mlflow.models import ModelSignature
from mlflow.tracking import MlflowClient
from mlflow.types import Schema, TensorSpec
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def record(experiment_name, params, scores, model, n_features):
    client = MlflowClient(tracking_uri="file:./mlruns")
    experiment = client.get_experiment_by_name(experiment_name)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(experiment_name)
    run_id = client.create_run(experiment_id).info.run_id
    now = int(time.time() * 1000)
    client.log_batch(run_id, params=[Param(k, str(v)) for k, v in params.items()],
                     metrics=[Metric(k, float(v), now, 0) for k, v in scores.items()])
    signature = ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1, n_features))]))
    with tempfile.TemporaryDirectory() as folder:
        saved = os.path.join(folder, "model")
        mlflow.sklearn.save_model(model, saved, signature=signature)
        client.log_artifacts(run_id, saved, artifact_path="model")
    client.set_terminated(run_id)


class SVCExperiment:
    C = 2.0
    gamma = "scale"
    kernel = "rbf"

    def __init__(self, seed=5):
        X, y = make_classification(
            n_samples=600, n_features=12, n_informative=6, flip_y=0.05, random_state=seed
        )
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed
        )

    def build(self):
        return make_pipeline(StandardScaler(), SVC(C=self.C, gamma=self.gamma, kernel=self.kernel))

    def evaluate(self, model):
        predicted = model.predict(self.X_test)
        return {
            "accuracy": accuracy_score(self.y_test, predicted),
            "precision": precision_score(self.y_test, predicted),
            "recall": recall_score(self.y_test, predicted),
        }

    def run(self):
        model = self.build().fit(self.X_train, self.y_train)
        scores = self.evaluate(model)
        record("synthetic-svc", {"C": self.C, "gamma": self.gamma, "kernel": self.kernel},
               scores, model, self.X_train.shape[1])
        for name, value in scores.items():
            print(f"{name}: {value:.4f}")
        return model


if __name__ == "__main__":
    SVCExperiment().run()
