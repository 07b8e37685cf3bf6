"""k-nearest neighbours regression on the diabetes data set, on standardised features; the
fitted scaler and regressor are joined into one scikit-learn pipeline, logged to MLflow,
and served by MLflow's scoring app run in this process."""
import sys

import mlflow
import mlflow.sklearn
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

mlflow.set_tracking_uri("file:./mlruns")


def load_split(seed=5):
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=seed)


def main():
    X_train, X_test, y_train, y_test = load_split()
    scaler = StandardScaler().fit(X_train)
    regressor = KNeighborsRegressor(n_neighbors=9, weights="distance").fit(scaler.transform(X_train), y_train)
    predicted = regressor.predict(scaler.transform(X_test))
    print(f"r2: {r2_score(y_test, predicted):.4f}")
    print(f"mae: {mean_absolute_error(y_test, predicted):.4f}")

    pipeline = Pipeline([("scale", scaler), ("knn", regressor)])  # already fitted: not refit
    mlflow.set_experiment("diabetes-knn")
    with mlflow.start_run(run_name="knn-pipeline"):
        mlflow.sklearn.log_model(pipeline, name="pipeline", input_example=X_train[:4],
                                 serialization_format="cloudpickle")


def serve():
    import uvicorn
    from mlflow.pyfunc import scoring_server

    [run] = mlflow.search_runs(experiment_names=["diabetes-knn"], output_format="list")
    model = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/pipeline")
    uvicorn.run(scoring_server.init(model), host="127.0.0.1", port=5002, log_level="warning")


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["--serve"] else main()
