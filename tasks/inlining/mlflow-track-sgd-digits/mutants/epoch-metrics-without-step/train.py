# mutant: per-epoch accuracies logged without step=epoch
"""Train a linear classifier on the digits data set with SGD, one shuffled pass per epoch."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow
import mlflow.sklearn
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

EPOCHS = 8
ALPHA = 1e-4
ETA0 = 0.01


def load_data():
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


def train(X_train, y_train, X_val, y_val, epochs=EPOCHS):
    model = SGDClassifier(
        loss="log_loss", alpha=ALPHA, learning_rate="constant", eta0=ETA0, random_state=0
    )
    classes = np.unique(y_train)
    rng = np.random.default_rng(0)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(X_train))
        model.partial_fit(X_train[order], y_train[order], classes=classes)
        train_accuracy = model.score(X_train, y_train)
        val_accuracy = model.score(X_val, y_val)
        mlflow.log_metrics({"train_accuracy": train_accuracy, "val_accuracy": val_accuracy})
        print(f"epoch {epoch}: train_accuracy={train_accuracy:.4f} val_accuracy={val_accuracy:.4f}")
    return model


def main():
    mlflow.set_tracking_uri("file:./mlruns")
    mlflow.set_experiment("digits-sgd")
    X_train, X_val, y_train, y_val = load_data()
    with mlflow.start_run():
        mlflow.log_params({"alpha": ALPHA, "eta0": ETA0, "epochs": EPOCHS})
        model = train(X_train, y_train, X_val, y_val)
        accuracy = model.score(X_val, y_val)
        mlflow.log_metric("accuracy", accuracy)
        mlflow.sklearn.log_model(model, name="model")
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
