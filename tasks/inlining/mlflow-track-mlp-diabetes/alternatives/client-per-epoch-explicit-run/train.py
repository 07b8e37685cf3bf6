# alternative: explicit start_run/end_run in run(), per-epoch metrics through MlflowClient with the run id
"""A small neural network regressor on the diabetes data set, trained epoch by epoch."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow import MlflowClient
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler


class DiabetesTrainer:
    def __init__(self, hidden_layer_sizes=(32, 16), learning_rate_init=0.005, epochs=12, seed=1):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.learning_rate_init = learning_rate_init
        self.epochs = epochs
        self.seed = seed
        self.model = None
        self.run_id = None  # set while run() tracks

    def load(self):
        X, y = load_diabetes(return_X_y=True)
        X_train, X_val, y_train, y_val = train_test_split(
            X, y, test_size=0.2, random_state=self.seed
        )
        scaler = StandardScaler().fit(X_train)
        # Standardised targets keep the MLP's step size sensible.
        self.y_mean, self.y_std = y_train.mean(), y_train.std()
        return (
            scaler.transform(X_train), scaler.transform(X_val),
            (y_train - self.y_mean) / self.y_std, (y_val - self.y_mean) / self.y_std,
        )

    def fit(self, X_train, y_train, X_val, y_val):
        self.model = MLPRegressor(
            hidden_layer_sizes=self.hidden_layer_sizes,
            learning_rate_init=self.learning_rate_init,
            batch_size=32,
            random_state=self.seed,
        )
        client = MlflowClient()
        for epoch in range(1, self.epochs + 1):
            self.model.partial_fit(X_train, y_train)
            val_r2 = self.model.score(X_val, y_val)
            if self.run_id is not None:
                client.log_metric(self.run_id, "loss", self.model.loss_, step=epoch)
                client.log_metric(self.run_id, "val_r2", val_r2, step=epoch)
            print(f"epoch {epoch}: loss={self.model.loss_:.5f} val_r2={val_r2:.4f}")
        return self.model

    def run(self):
        mlflow.set_tracking_uri("file:./mlruns")
        mlflow.set_experiment("diabetes-mlp")
        active = mlflow.start_run()
        self.run_id = active.info.run_id
        try:
            mlflow.log_param("hidden_layer_sizes", str(self.hidden_layer_sizes))
            mlflow.log_param("learning_rate_init", self.learning_rate_init)
            mlflow.log_param("epochs", self.epochs)
            X_train, X_val, y_train, y_val = self.load()
            self.fit(X_train, y_train, X_val, y_val)
            r2 = self.model.score(X_val, y_val)
            mlflow.log_metric("r2", r2)
            mlflow.sklearn.log_model(self.model, name="model", serialization_format="cloudpickle")
        except BaseException:
            mlflow.end_run(status="FAILED")
            raise
        mlflow.end_run()
        self.run_id = None
        print(f"r2: {r2:.4f}")
        return r2


if __name__ == "__main__":
    DiabetesTrainer().run()
