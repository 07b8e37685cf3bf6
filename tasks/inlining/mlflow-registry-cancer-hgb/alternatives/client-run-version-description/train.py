# alternative: the run made and ended with MlflowClient (metrics logged by the client), the version created with its description by create_model_version
"""Histogram gradient boosting on the breast cancer data set, wrapped in a small class."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

TRACKING_URI = "sqlite:///mlflow.db"
MODEL_NAME = "cancer-hgb"
EXPERIMENT = "cancer-hgb"


class CancerClassifier:
    def __init__(self, max_iter=60, learning_rate=0.1, max_leaf_nodes=15, seed=6):
        self.model = HistGradientBoostingClassifier(
            max_iter=max_iter, learning_rate=learning_rate, max_leaf_nodes=max_leaf_nodes,
            early_stopping=False, random_state=seed,
        )
        self.seed = seed

    def split(self):
        X, y = load_breast_cancer(return_X_y=True)
        return train_test_split(X, y, test_size=0.3, random_state=self.seed, stratify=y)

    def train(self):
        X_train, X_test, y_train, y_test = self.split()
        self.model.fit(X_train, y_train)
        return {
            "accuracy": accuracy_score(y_test, self.model.predict(X_test)),
            "log_loss": log_loss(y_test, self.model.predict_proba(X_test)),
        }


def experiment_id(client):
    found = client.get_experiment_by_name(EXPERIMENT)
    return found.experiment_id if found else client.create_experiment(EXPERIMENT)


def publish(classifier, metrics):
    """One run holding the metrics and the model; version 1 of MODEL_NAME comes from it."""
    client = MlflowClient(tracking_uri=TRACKING_URI, registry_uri=TRACKING_URI)
    run = client.create_run(experiment_id(client))
    run_id = run.info.run_id
    for name, value in metrics.items():
        client.log_metric(run_id, name, value)
    with mlflow.start_run(run_id=run_id):  # resume the client's run to log the model into it
        logged = mlflow.sklearn.log_model(classifier.model, name="model", serialization_format="cloudpickle")
    client.create_registered_model(MODEL_NAME)
    client.set_registered_model_tag(MODEL_NAME, "task", "binary-classification")
    version = client.create_model_version(
        MODEL_NAME, logged.model_uri, run_id=run_id, model_id=logged.model_id,
        description=f"{type(classifier.model).__name__}, {classifier.model.max_iter} iterations",
    )
    client.set_registered_model_alias(MODEL_NAME, "champion", version.version)


if __name__ == "__main__":
    mlflow.set_tracking_uri(TRACKING_URI)
    classifier = CancerClassifier()
    metrics = classifier.train()
    publish(classifier, metrics)
    for name, value in metrics.items():
        print(f"{name}: {value:.4f}")
