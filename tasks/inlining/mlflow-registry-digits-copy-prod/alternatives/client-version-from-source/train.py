# alternative: MlflowClient creates a version of each registered model from the same logged model
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
    """MlflowClient creates both registered models and a version of each from the logged model."""
    client = MlflowClient()
    with mlflow.start_run() as run:
        mlflow.log_metric("accuracy", accuracy)
        logged = mlflow.sklearn.log_model(model, name="model")
    for name, alias in ((STAGING, "candidate"), (PRODUCTION, "live")):
        client.create_registered_model(name)
        version = client.create_model_version(name, logged.model_uri, run_id=run.info.run_id, model_id=logged.model_id)
        client.set_registered_model_alias(name, alias, version.version)

if __name__ == "__main__":
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    model, accuracy = train()
    release(model, accuracy)
    print(f"accuracy: {accuracy:.4f}")
