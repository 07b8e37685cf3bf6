# alternative: MlflowClient creates the registered model and each version with its family tag
"""Three regressor families on the diabetes data set, compared by test RMSE; each is
registered in MLflow, the best becomes the champion and the worst is archived."""
import mlflow
import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL_NAME = "diabetes-regressor"


def load_split():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=13)


def candidates():
    return {
        "lasso": Lasso(alpha=0.1),
        "forest": RandomForestRegressor(n_estimators=60, max_depth=6, random_state=13),
        "knn": make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=3)),
    }


def rmse(model, X, y):
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def register(client, family, model, score):
    """The version is created by the client with its family tag, from the logged model."""
    with mlflow.start_run(run_name=family) as run:
        mlflow.log_metric("rmse", score)
        logged = mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")
    version = client.create_model_version(
        MODEL_NAME, logged.model_uri, run_id=run.info.run_id, model_id=logged.model_id, tags={"family": family}
    )
    return version.version


def main():
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    client = MlflowClient()
    client.create_registered_model(MODEL_NAME)
    X_train, X_test, y_train, y_test = load_split()
    scores, versions = {}, {}
    for family, model in candidates().items():
        model.fit(X_train, y_train)
        scores[family] = rmse(model, X_test, y_test)
        versions[family] = register(client, family, model, scores[family])
        print(f"{family}_rmse: {scores[family]:.4f}")
    best, worst = min(scores, key=scores.get), max(scores, key=scores.get)
    client.set_registered_model_alias(MODEL_NAME, "champion", versions[best])
    for family, version in versions.items():
        status = "archived" if family == worst else "active"
        client.set_model_version_tag(MODEL_NAME, version, "status", status)
    print(f"best: {best}")
    print(f"worst: {worst}")


if __name__ == "__main__":
    main()
