# mutant: the version gets the alias 'champion' instead of 'production'
"""Ridge regression with polynomial features on the diabetes data set."""
import mlflow
import mlflow.sklearn
from mlflow import MlflowClient
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

MODEL_NAME = "diabetes-ridge"
DESCRIPTION = "Ridge regression on polynomial features of the diabetes data"


def load():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=17)


def build(alpha=3.0):
    return make_pipeline(PolynomialFeatures(degree=2), StandardScaler(), Ridge(alpha=alpha))


def evaluate(model, X, y):
    return r2_score(y, model.predict(X))


def register(model, r2):
    with mlflow.start_run() as run:
        mlflow.sklearn.log_model(model, name="model")
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", MODEL_NAME)
    client = MlflowClient()
    client.update_registered_model(MODEL_NAME, description=DESCRIPTION)
    client.set_model_version_tag(MODEL_NAME, version.version, "r2", f"{r2:.4f}")
    client.set_registered_model_alias(MODEL_NAME, "champion", version.version)


def main():
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    X_train, X_test, y_train, y_test = load()
    model = build().fit(X_train, y_train)
    r2 = evaluate(model, X_test, y_test)
    register(model, r2)
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
