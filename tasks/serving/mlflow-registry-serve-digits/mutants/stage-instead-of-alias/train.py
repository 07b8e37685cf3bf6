# mutant: the version is moved to the legacy "Production" stage instead of getting the alias "production"
"""A support vector classifier on the digits data set, wrapped in a small trainer class;
the trained model is registered in MLflow's model registry and served from it.

`python3 train.py` trains, prints the scores and registers version 1 of "digits-svc" with
the alias "production" in ./registry.db; `python3 train.py serve` serves that version on
127.0.0.1:5003 with MLflow's scoring server."""
import os
import sys

import mlflow
from mlflow import MlflowClient
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

REGISTRY_URI = "sqlite:///registry.db"
MODEL_NAME = "digits-svc"


class DigitsTrainer:
    def __init__(self, C=5.0, gamma=0.001, seed=2):
        self.C, self.gamma, self.seed = C, gamma, seed
        self.model = None

    def split(self):
        X, y = load_digits(return_X_y=True)
        return train_test_split(X, y, test_size=0.3, random_state=self.seed, stratify=y)

    def fit(self, X_train, y_train):
        self.model = SVC(C=self.C, gamma=self.gamma).fit(X_train, y_train)
        return self.model

    def report(self, X_test, y_test):
        predicted = self.model.predict(X_test)
        print(f"accuracy: {accuracy_score(y_test, predicted):.4f}")
        print(f"f1_macro: {f1_score(y_test, predicted, average='macro'):.4f}")

    def register(self, X_train):
        mlflow.set_tracking_uri(REGISTRY_URI)
        mlflow.set_experiment("digits")
        with mlflow.start_run():
            info = mlflow.sklearn.log_model(self.model, name="model", input_example=X_train[:3],
                                            registered_model_name=MODEL_NAME)
        MlflowClient().transition_model_version_stage(MODEL_NAME, info.registered_model_version, "Production")


def serve():
    os.environ["MLFLOW_TRACKING_URI"] = REGISTRY_URI  # where models:/ URIs are resolved
    os.execvp("mlflow", ["mlflow", "models", "serve", "-m", f"models:/{MODEL_NAME}/Production",
                         "--env-manager", "local", "--host", "127.0.0.1", "--port", "5003"])


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    trainer = DigitsTrainer()
    X_train, X_test, y_train, y_test = trainer.split()
    trainer.fit(X_train, y_train)
    trainer.report(X_test, y_test)
    trainer.register(X_train)
