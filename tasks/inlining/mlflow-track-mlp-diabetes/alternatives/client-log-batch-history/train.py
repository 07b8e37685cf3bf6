# alternative: no fluent run; fit() records the per-epoch history, run() creates the run with
# MlflowClient, writes params and the whole history (Metric entities with their steps) in one
# log_batch, saves the model with save_model and uploads it with log_artifacts, then
# closes the run with set_terminated.
"""A small neural network regressor on the diabetes data set, trained epoch by epoch."""
import os
import tempfile
import time

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow.sklearn
import numpy as np
from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient
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
        self.history = []  # (name, value, epoch)

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
        for epoch in range(1, self.epochs + 1):
            self.model.partial_fit(X_train, y_train)
            val_r2 = self.model.score(X_val, y_val)
            self.history += [("loss", self.model.loss_, epoch), ("val_r2", val_r2, epoch)]
            print(f"epoch {epoch}: loss={self.model.loss_:.5f} val_r2={val_r2:.4f}")
        return self.model

    def track(self, r2):
        client = MlflowClient(tracking_uri="file:./mlruns")
        experiment = client.get_experiment_by_name("diabetes-mlp")
        experiment_id = experiment.experiment_id if experiment else client.create_experiment("diabetes-mlp")
        run_id = client.create_run(experiment_id).info.run_id
        now = int(time.time() * 1000)
        metrics = [Metric(name, float(value), now, step) for name, value, step in self.history]
        metrics.append(Metric("r2", float(r2), now, 0))
        params = [Param("hidden_layer_sizes", str(self.hidden_layer_sizes)),
                  Param("learning_rate_init", str(self.learning_rate_init)),
                  Param("epochs", str(self.epochs))]
        client.log_batch(run_id, metrics=metrics, params=params)
        with tempfile.TemporaryDirectory() as folder:
            saved = os.path.join(folder, "model")
            mlflow.sklearn.save_model(self.model, saved, serialization_format="cloudpickle")
            client.log_artifacts(run_id, saved, artifact_path="model")
        client.set_terminated(run_id, status="FINISHED")

    def run(self):
        X_train, X_val, y_train, y_val = self.load()
        self.fit(X_train, y_train, X_val, y_val)
        r2 = self.model.score(X_val, y_val)
        self.track(r2)
        print(f"r2: {r2:.4f}")
        return r2


if __name__ == "__main__":
    DiabetesTrainer().run()
