"""Extra trees on the breast cancer data set, logged to MLflow as a custom pyfunc
model whose predictions are class probabilities, and served by MLflow's scoring app run in
this process with uvicorn."""
import sys

import mlflow
import mlflow.pyfunc
from mlflow.models import infer_signature
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

mlflow.set_tracking_uri("file:./mlruns")


class Probabilities(mlflow.pyfunc.PythonModel):
    """The extra-trees model, answering class probabilities."""

    def __init__(self, model):
        self.model = model

    def predict(self, context, model_input, params=None):
        return self.model.predict_proba(model_input)


def train():
    data = load_breast_cancer(as_frame=True)  # the 30 features as named columns
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=11, stratify=data.target)

    model = ExtraTreesClassifier(n_estimators=50, max_depth=6, random_state=11)
    model.fit(X_train, y_train)
    print(f"accuracy: {model.score(X_test, y_test):.4f}")
    print(f"log_loss: {log_loss(y_test, model.predict_proba(X_test)):.4f}")

    experiment = mlflow.set_experiment("cancer-extratrees")
    with mlflow.start_run(experiment_id=experiment.experiment_id):
        mlflow.pyfunc.log_model(name="proba_model", python_model=Probabilities(model),
                                signature=infer_signature(X_train, model.predict_proba(X_train)))


def serve():
    import uvicorn
    from mlflow import MlflowClient
    from mlflow.pyfunc import scoring_server

    client = MlflowClient()
    experiment = client.get_experiment_by_name("cancer-extratrees")
    [logged] = client.search_logged_models(experiment_ids=[experiment.experiment_id], max_results=1,
                                           order_by=[{"field_name": "creation_timestamp", "ascending": False}])
    app = scoring_server.init(mlflow.pyfunc.load_model(f"models:/{logged.model_id}"))
    uvicorn.run(app, host="127.0.0.1", port=5001)


if __name__ == "__main__":
    serve() if "serve" in sys.argv[1:] else train()
