# alternative: the run object from wandb.init without a with block, the config filled with run.config.update,
# one run.log per epoch without an explicit step (W&B numbers the rows 0, 1, ...), run.finish()
"""Epoch-wise training of an MLP on digits, tracked with W&B (offline)."""
import warnings

import numpy as np
import wandb
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

HIDDEN_UNITS = 32
LEARNING_RATE = 1e-3
EPOCHS = 8


def load_data():
    features, labels = load_digits(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(features, labels, test_size=0.25, random_state=5)
    scaler = StandardScaler().fit(x_train)
    return scaler.transform(x_train), scaler.transform(x_val), y_train, y_val


def train(run, x_train, x_val, y_train, y_val):
    model = MLPClassifier(
        hidden_layer_sizes=(HIDDEN_UNITS,), learning_rate_init=LEARNING_RATE, random_state=5
    )
    classes = np.unique(y_train)
    val_accuracy = 0.0
    for epoch in range(EPOCHS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.partial_fit(x_train, y_train, classes=classes)
        val_accuracy = model.score(x_val, y_val)
        run.log({"train_loss": model.loss_, "val_accuracy": val_accuracy})
        print(f"epoch {epoch} train_loss={model.loss_:.6f} val_acc={val_accuracy:.4f}")
    return val_accuracy


def main():
    run = wandb.init(project="digits-mlp", mode="offline", dir=".")
    run.config.update({"hidden_units": HIDDEN_UNITS, "learning_rate": LEARNING_RATE})
    val_accuracy = train(run, *load_data())
    run.finish()
    print(f"val_accuracy: {val_accuracy:.4f}")


if __name__ == "__main__":
    main()
