# mutant: the live alias is set on the staging model instead of the production one
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
    client = MlflowClient()
    with mlflow.start_run():
        mlflow.log_metric("accuracy", accuracy)
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name=STAGING)
    client.set_registered_model_alias(STAGING, "candidate", info.registered_model_version)
    # Promotion copies the tested version itself: no retraining, the same run and artefact.
    prod = client.copy_model_version(f"models:/{STAGING}@candidate", PRODUCTION)
    client.set_registered_model_alias(STAGING, "live", info.registered_model_version)


if __name__ == "__main__":
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    model, accuracy = train()
    release(model, accuracy)
    print(f"accuracy: {accuracy:.4f}")
