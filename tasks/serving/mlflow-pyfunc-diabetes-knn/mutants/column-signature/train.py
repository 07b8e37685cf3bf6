# mutant: the signature is inferred from a DataFrame with the feature names, so the server refuses the raw {"inputs": rows} tensor
"""k-nearest neighbours regression on the diabetes data set, on standardised features,
logged to MLflow as one pyfunc model that scales its input itself, and served by MLflow's
scoring server.

`python3 train.py` trains, prints the scores and logs the model in ./mlruns;
`python3 train.py --serve` serves the latest logged model on 127.0.0.1:5002."""
import os
import sys
import tempfile

import joblib
import mlflow
import mlflow.pyfunc
from mlflow.models import infer_signature
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

TRACKING_URI = "file:./mlruns"
EXPERIMENT = "diabetes-knn"


class ScaledKnn(mlflow.pyfunc.PythonModel):
    """The training scaler, then the regressor: the served model takes raw features."""

    def load_context(self, context):
        self.scaler = joblib.load(context.artifacts["scaler"])
        self.regressor = joblib.load(context.artifacts["regressor"])

    def predict(self, context, model_input, params=None):
        return self.regressor.predict(self.scaler.transform(model_input.to_numpy()))


def load_split(seed=5):
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=seed)


def fit_scaler(X_train):
    return StandardScaler().fit(X_train)


def fit_regressor(X_scaled, y_train):
    return KNeighborsRegressor(n_neighbors=9, weights="distance").fit(X_scaled, y_train)


def evaluate(scaler, regressor, X_test, y_test):
    predicted = regressor.predict(scaler.transform(X_test))
    print(f"r2: {r2_score(y_test, predicted):.4f}")
    print(f"mae: {mean_absolute_error(y_test, predicted):.4f}")


def log_model(scaler, regressor, X_train):
    mlflow.set_tracking_uri(TRACKING_URI)
    mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run(), tempfile.TemporaryDirectory() as tmp:
        artifacts = {"scaler": os.path.join(tmp, "scaler.joblib"), "regressor": os.path.join(tmp, "regressor.joblib")}
        joblib.dump(scaler, artifacts["scaler"])
        joblib.dump(regressor, artifacts["regressor"])
        # A tensor signature from the raw training rows: requests send {"inputs": rows}.
        import pandas as pd
        frame = pd.DataFrame(X_train, columns=load_diabetes().feature_names)
        signature = infer_signature(frame, regressor.predict(scaler.transform(X_train)))
        mlflow.pyfunc.log_model(name="model", python_model=ScaledKnn(), artifacts=artifacts, signature=signature)


def serve():
    mlflow.set_tracking_uri(TRACKING_URI)
    runs = mlflow.search_runs(experiment_names=[EXPERIMENT], order_by=["start_time DESC"], max_results=1)
    os.environ["MLFLOW_TRACKING_URI"] = TRACKING_URI
    os.execvp("mlflow", ["mlflow", "models", "serve", "-m", f"runs:/{runs.run_id[0]}/model",
                         "--env-manager", "local", "--host", "127.0.0.1", "--port", "5002"])


def main():
    X_train, X_test, y_train, y_test = load_split()
    scaler = fit_scaler(X_train)
    regressor = fit_regressor(scaler.transform(X_train), y_train)
    evaluate(scaler, regressor, X_test, y_test)
    log_model(scaler, regressor, X_train)


if __name__ == "__main__":
    serve() if "--serve" in sys.argv[1:] else main()
