# mutant: the 'task' tag is set on the model version instead of the registered model
"""Histogram gradient boosting on the breast cancer data set, wrapped in a small class."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

MODEL_NAME = "cancer-hgb"


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

    def register(self, metrics):
        with mlflow.start_run() as run:
            mlflow.log_metrics(metrics)
            mlflow.sklearn.log_model(self.model, name="model", serialization_format="cloudpickle")
        version = mlflow.register_model(f"runs:/{run.info.run_id}/model", MODEL_NAME)
        client = MlflowClient()
        client.set_model_version_tag(MODEL_NAME, version.version, "task", "binary-classification")
        client.update_model_version(
            MODEL_NAME, version.version, description="HistGradientBoostingClassifier, 60 iterations"
        )
        client.set_registered_model_alias(MODEL_NAME, "champion", version.version)


if __name__ == "__main__":
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    classifier = CancerClassifier()
    metrics = classifier.train()
    classifier.register(metrics)
    for name, value in metrics.items():
        print(f"{name}: {value:.4f}")
