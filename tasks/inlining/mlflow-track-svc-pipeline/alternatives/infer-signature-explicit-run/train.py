# alternative: explicit signature from infer_signature, params logged one by one, explicit start_run/end_run
"""An RBF support vector classifier on a synthetic binary problem."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
from mlflow.models import infer_signature
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


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

    def track(self, model, scores):
        for name in ("C", "gamma", "kernel"):
            mlflow.log_param(name, getattr(self, name))
        for name, value in scores.items():
            mlflow.log_metric(name, value)
        signature = infer_signature(self.X_train, model.predict(self.X_train))
        mlflow.sklearn.log_model(model, name="model", signature=signature)

    def run(self):
        mlflow.set_tracking_uri("file:./mlruns")
        mlflow.set_experiment("synthetic-svc")
        mlflow.start_run()
        model = self.build().fit(self.X_train, self.y_train)
        scores = self.evaluate(model)
        self.track(model, scores)
        mlflow.end_run()
        for name, value in scores.items():
            print(f"{name}: {value:.4f}")
        return model


if __name__ == "__main__":
    SVCExperiment().run()
