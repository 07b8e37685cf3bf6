# alternative: the training loop moved into a function that receives the run, config set
# attribute by attribute through run.config (hidden_layer_sizes as the tuple, which W&B
# stores as a list), run.log with an explicit step, wandb.finish at the end.
"""A small MLP on the digits data set, trained one epoch at a time."""
import numpy as np
import wandb
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import MinMaxScaler

HIDDEN = (48,)
LEARNING_RATE = 0.003
EPOCHS = 10
BATCH_SIZE = 64


def load():
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=4, stratify=y)
    scaler = MinMaxScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val, np.unique(y)


def fit(run, X_train, X_val, y_train, y_val, classes):
    model = MLPClassifier(
        hidden_layer_sizes=HIDDEN, learning_rate_init=LEARNING_RATE, batch_size=BATCH_SIZE, random_state=4
    )
    for epoch in range(1, EPOCHS + 1):
        model.partial_fit(X_train, y_train, classes=classes)
        val_accuracy = model.score(X_val, y_val)
        run.log({"epoch": epoch, "loss": model.loss_, "val_accuracy": val_accuracy}, step=epoch)
        print(f"epoch {epoch}: loss={model.loss_:.5f} val_accuracy={val_accuracy:.4f}")
    return model


run = wandb.init(mode="offline", project="digits-mlp")
run.config.hidden_layer_sizes = HIDDEN
run.config.learning_rate_init = LEARNING_RATE
run.config.epochs = EPOCHS
run.config.batch_size = BATCH_SIZE

X_train, X_val, y_train, y_val, classes = load()
model = fit(run, X_train, X_val, y_train, y_val, classes)
final_accuracy = model.score(X_val, y_val)
run.summary["accuracy"] = final_accuracy
wandb.finish()
print(f"accuracy: {final_accuracy:.4f}")
