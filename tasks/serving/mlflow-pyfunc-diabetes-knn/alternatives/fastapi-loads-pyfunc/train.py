"""k-nearest neighbours regression on the diabetes data set, on standardised features; a
pyfunc model holding both fitted steps is logged to MLflow, and a FastAPI app loads it back
and answers MLflow's {"inputs": rows} requests."""
import sys

import mlflow
import numpy as np
from mlflow.models.signature import ModelSignature
from mlflow.types.schema import Schema, TensorSpec
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler


class RawFeaturesModel(mlflow.pyfunc.PythonModel):
    def __init__(self, scaler, regressor):
        self.scaler, self.regressor = scaler, regressor

    def predict(self, context, model_input, params=None):
        return self.regressor.predict(self.scaler.transform(np.asarray(model_input, dtype=float)))


def main():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)
    scaler = StandardScaler().fit(X_train)
    regressor = KNeighborsRegressor(n_neighbors=9, weights="distance").fit(scaler.transform(X_train), y_train)
    predicted = regressor.predict(scaler.transform(X_test))
    print(f"r2: {r2_score(y_test, predicted):.4f}")
    print(f"mae: {mean_absolute_error(y_test, predicted):.4f}")

    signature = ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1, 10))]),
                               outputs=Schema([TensorSpec(np.dtype("float64"), (-1,))]))
    client = mlflow.MlflowClient(tracking_uri="file:./mlruns")
    experiment_id = client.create_experiment("diabetes-knn")
    mlflow.set_tracking_uri("file:./mlruns")
    with mlflow.start_run(experiment_id=experiment_id):
        mlflow.pyfunc.log_model(name="raw_knn", python_model=RawFeaturesModel(scaler, regressor),
                                signature=signature)


def serve():
    import uvicorn
    from fastapi import FastAPI
    from pydantic import BaseModel

    mlflow.set_tracking_uri("file:./mlruns")
    [logged] = mlflow.search_logged_models(experiment_ids=[mlflow.get_experiment_by_name("diabetes-knn").experiment_id],
                                           output_format="list")
    model = mlflow.pyfunc.load_model(logged.model_uri)
    app = FastAPI()

    class Tensor(BaseModel):
        inputs: list[list[float]]

    @app.post("/invocations")
    def invocations(body: Tensor) -> dict:
        return {"predictions": model.predict(np.asarray(body.inputs, dtype=float)).tolist()}

    uvicorn.run(app, host="127.0.0.1", port=5002)


if __name__ == "__main__":
    serve() if "--serve" in sys.argv else main()
