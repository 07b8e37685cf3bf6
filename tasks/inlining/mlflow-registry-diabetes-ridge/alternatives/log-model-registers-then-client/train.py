# alternative: log_model(registered_model_name=...) registers the version; MlflowClient bound to the URI adds the description, the r2 tag and the alias
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

DB = "sqlite:///mlflow.db"
REGISTRY = {
    "name": "diabetes-ridge",
    "description": "Ridge regression on polynomial features of the diabetes data",
    "alias": "production",
}


def load():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=17)


def build(alpha=3.0):
    return make_pipeline(PolynomialFeatures(degree=2), StandardScaler(), Ridge(alpha=alpha))


def evaluate(model, X, y):
    return r2_score(y, model.predict(X))


def main():
    mlflow.set_tracking_uri(DB)
    X_train, X_test, y_train, y_test = load()
    model = build().fit(X_train, y_train)
    r2 = evaluate(model, X_test, y_test)
    r2_text = f"{r2:.4f}"

    with mlflow.start_run(run_name="diabetes-ridge"):
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name=REGISTRY["name"])
    version = info.registered_model_version
    client = MlflowClient(tracking_uri=DB, registry_uri=DB)
    client.update_registered_model(REGISTRY["name"], description=REGISTRY["description"])
    client.set_model_version_tag(REGISTRY["name"], version, "r2", r2_text)
    client.set_registered_model_alias(REGISTRY["name"], REGISTRY["alias"], version)

    print(f"r2: {r2_text}")


if __name__ == "__main__":
    main()
