# alternative: the runs are logged first, then registered from search_runs with their tags, ranked by the logged rmse
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


def log_run(family, model, score):
    with mlflow.start_run(run_name=family):
        mlflow.log_metric("rmse", score)
        mlflow.set_tag("family", family)
        mlflow.sklearn.log_model(model, name="model", serialization_format="cloudpickle")


def main():
    mlflow.set_tracking_uri("sqlite:///mlflow.db")
    client = MlflowClient()
    X_train, X_test, y_train, y_test = load_split()
    scores = {}
    for family, model in candidates().items():
        model.fit(X_train, y_train)
        scores[family] = rmse(model, X_test, y_test)
        log_run(family, model, scores[family])
        print(f"{family}_rmse: {scores[family]:.4f}")
    # Register from the tracking store: the runs in the order they ran, ranked by their rmse.
    runs = mlflow.search_runs(experiment_ids=["0"], order_by=["attributes.start_time ASC"])
    worst_rmse = runs["metrics.rmse"].max()
    best_rmse = runs["metrics.rmse"].min()
    for _, run in runs.iterrows():
        version = mlflow.register_model(f"runs:/{run.run_id}/model", MODEL_NAME, tags={
            "family": run["tags.family"],
            "status": "archived" if run["metrics.rmse"] == worst_rmse else "active",
        })
        if run["metrics.rmse"] == best_rmse:
            client.set_registered_model_alias(MODEL_NAME, "champion", version.version)
    print(f"best: {min(scores, key=scores.get)}")
    print(f"worst: {max(scores, key=scores.get)}")

if __name__ == "__main__":
    main()
