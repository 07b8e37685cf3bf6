# alternative: create the registered model (with its tag) first, log via registered_model_name, MlflowClient for the rest
"""Histogram gradient boosting on the breast cancer data set, wrapped in a small class."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

TRACKING_URI = "sqlite:///mlflow.db"


class CancerClassifier:
    model_name = "cancer-hgb"
    description = "HistGradientBoostingClassifier, 60 iterations"

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

    def register(self, metrics):
        client = MlflowClient(tracking_uri=TRACKING_URI, registry_uri=TRACKING_URI)
        try:
            client.create_registered_model(self.model_name, tags={"task": "binary-classification"})
        except MlflowException:  # already there: just make sure of the tag
            client.set_registered_model_tag(self.model_name, "task", "binary-classification")
        with mlflow.start_run():
            for name, value in metrics.items():
                mlflow.log_metric(name, value)
            info = mlflow.sklearn.log_model(
                self.model, name="model", serialization_format="cloudpickle",
                registered_model_name=self.model_name,
            )
        version = info.registered_model_version
        client.update_model_version(self.model_name, version, description=self.description)
        client.set_registered_model_alias(self.model_name, "champion", version)
        return version


if __name__ == "__main__":
    mlflow.set_tracking_uri(TRACKING_URI)
    classifier = CancerClassifier()
    metrics = classifier.train()
    classifier.register(metrics)
    for name, value in metrics.items():
        print(f"{name}: {value:.4f}")
