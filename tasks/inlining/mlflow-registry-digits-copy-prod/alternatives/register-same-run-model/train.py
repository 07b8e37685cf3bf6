# alternative: the run's model registered under both names with mlflow.register_model
"""Train a ridge classifier on the digits and report its test accuracy. It is registered in
MLflow as the staging model, then the same version is copied to the production model."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.linear_model import RidgeClassifier

from data import load_split

STAGING, PRODUCTION = "digits-ridge-staging", "digits-ridge-prod"


def train():
    X_train, X_test, y_train, y_test = load_split()
    model = RidgeClassifier(alpha=2.0).fit(X_train, y_train)
    return model, model.score(X_test, y_test)


def release(model, accuracy):
    """Both registered models get a version from the same run's logged model."""
    with mlflow.start_run() as run:
        mlflow.log_metric("accuracy", accuracy)
        mlflow.sklearn.log_model(model, name="model")
    uri = f"runs:/{run.info.run_id}/model"
    client = MlflowClient()
    for name, alias in ((STAGING, "candidate"), (PRODUCTION, "live")):
        version = mlflow.register_model(uri, name)
        client.set_registered_model_alias(name, alias, version.version)

if __name__ == "__main__":
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    model, accuracy = train()
    release(model, accuracy)
    print(f"accuracy: {accuracy:.4f}")
