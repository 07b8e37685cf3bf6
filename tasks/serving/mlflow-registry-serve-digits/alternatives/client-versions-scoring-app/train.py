"""A support vector classifier on the digits data set; the logged model is registered with
MlflowClient (registered model, version, alias) and served by MLflow's scoring app run in
this process, from version 1."""
import sys

import mlflow
import numpy as np
from mlflow import MlflowClient
from mlflow.models import ModelSignature
from mlflow.types.schema import Schema, TensorSpec
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

DB = "sqlite:///registry.db"


class DigitsTrainer:
    def __init__(self, C=5.0, gamma=0.001, seed=2):
        self.C, self.gamma, self.seed = C, gamma, seed

    def run(self):
        X, y = load_digits(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=self.seed, stratify=y)
        model = SVC(C=self.C, gamma=self.gamma).fit(X_train, y_train)
        predicted = model.predict(X_test)
        print(f"accuracy: {accuracy_score(y_test, predicted):.4f}")
        print(f"f1_macro: {f1_score(y_test, predicted, average='macro'):.4f}")
        return model


def register(model):
    client = MlflowClient(tracking_uri=DB, registry_uri=DB)
    mlflow.set_tracking_uri(DB)
    signature = ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1, 64))]))
    with mlflow.start_run(experiment_id=client.create_experiment("digits-svc-training")) as run:
        logged = mlflow.sklearn.log_model(model, name="svc", signature=signature, serialization_format="cloudpickle")
    client.create_registered_model("digits-svc", description="SVC on 8x8 digits")
    version = client.create_model_version("digits-svc", source=logged.model_uri, run_id=run.info.run_id,
                                          model_id=logged.model_id)
    client.set_registered_model_alias("digits-svc", "production", version.version)


def serve():
    import uvicorn
    from mlflow.pyfunc import scoring_server

    mlflow.set_tracking_uri(DB)
    mlflow.set_registry_uri(DB)
    uvicorn.run(scoring_server.init(mlflow.pyfunc.load_model("models:/digits-svc/1")), host="127.0.0.1", port=5003)


if __name__ == "__main__":
    if "serve" in sys.argv[1:]:
        serve()
    else:
        register(DigitsTrainer().run())
