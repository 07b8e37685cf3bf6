# mutant: only learning_rate_init and epochs logged as params, hidden_layer_sizes forgotten
"""A small neural network regressor on the diabetes data set, trained epoch by epoch."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
import numpy as np
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
            mlflow.log_metrics({"loss": self.model.loss_, "val_r2": val_r2}, step=epoch)
            print(f"epoch {epoch}: loss={self.model.loss_:.5f} val_r2={val_r2:.4f}")
        return self.model

    def run(self):
        mlflow.set_tracking_uri("file:./mlruns")
        mlflow.set_experiment("diabetes-mlp")
        with mlflow.start_run():
            mlflow.log_params({
                "learning_rate_init": self.learning_rate_init,
                "epochs": self.epochs,
            })
            X_train, X_val, y_train, y_val = self.load()
            self.fit(X_train, y_train, X_val, y_val)
            r2 = self.model.score(X_val, y_val)
            mlflow.log_metric("r2", r2)
            mlflow.sklearn.log_model(self.model, name="model", serialization_format="cloudpickle")
        print(f"r2: {r2:.4f}")
        return r2


if __name__ == "__main__":
    DiabetesTrainer().run()
