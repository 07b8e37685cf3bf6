# alternative: train() returns the per-epoch history; main() opens the run explicitly
# (start_run/end_run), writes params one by one and the history afterwards with log_metric
# at each epoch's step, and the model is saved with save_model and uploaded by
# log_artifacts under "model" instead of log_model.
"""Train a linear classifier on the digits data set with SGD, one shuffled pass per epoch."""
import os
import tempfile

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

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
    history = []
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(X_train))
        model.partial_fit(X_train[order], y_train[order], classes=classes)
        train_accuracy = model.score(X_train, y_train)
        val_accuracy = model.score(X_val, y_val)
        history.append((epoch, train_accuracy, val_accuracy))
        print(f"epoch {epoch}: train_accuracy={train_accuracy:.4f} val_accuracy={val_accuracy:.4f}")
    return model, history


def main():
    mlflow.set_tracking_uri("file:./mlruns")
    mlflow.set_experiment("digits-sgd")
    X_train, X_val, y_train, y_val = load_data()
    mlflow.start_run()
    try:
        mlflow.log_param("alpha", ALPHA)
        mlflow.log_param("eta0", ETA0)
        mlflow.log_param("epochs", EPOCHS)
        model, history = train(X_train, y_train, X_val, y_val)
        for epoch, train_accuracy, val_accuracy in history:
            mlflow.log_metric("train_accuracy", train_accuracy, step=epoch)
            mlflow.log_metric("val_accuracy", val_accuracy, step=epoch)
        accuracy = model.score(X_val, y_val)
        mlflow.log_metric("accuracy", accuracy)
        with tempfile.TemporaryDirectory() as folder:
            saved = os.path.join(folder, "model")
            mlflow.sklearn.save_model(model, saved)
            mlflow.log_artifacts(saved, artifact_path="model")
    finally:
        mlflow.end_run()
    print(f"accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
