# alternative: offline mode through the WANDB_MODE environment variable, the config filled
# with wandb.config.update after init, each epoch's row built from two module-level wandb.log
# calls (the first with commit=False), the summary set through wandb.run.summary.update, and
# wandb.finish() at the end.
"""A small MLP on the digits data set, trained one epoch at a time."""
import os

os.environ["WANDB_MODE"] = "offline"

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

wandb.init(project="digits-mlp")
wandb.config.update({"hidden_layer_sizes": list(HIDDEN), "learning_rate_init": LEARNING_RATE,
                     "epochs": EPOCHS, "batch_size": BATCH_SIZE})

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=4, stratify=y)
scaler = MinMaxScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

model = MLPClassifier(
    hidden_layer_sizes=HIDDEN, learning_rate_init=LEARNING_RATE, batch_size=BATCH_SIZE, random_state=4
)
classes = np.unique(y)
for epoch in range(1, EPOCHS + 1):
    model.partial_fit(X_train, y_train, classes=classes)
    val_accuracy = model.score(X_val, y_val)
    wandb.log({"epoch": epoch, "loss": model.loss_}, commit=False)
    wandb.log({"val_accuracy": val_accuracy})
    print(f"epoch {epoch}: loss={model.loss_:.5f} val_accuracy={val_accuracy:.4f}")

accuracy = model.score(X_val, y_val)
wandb.run.summary.update({"accuracy": accuracy})
wandb.finish()
print(f"accuracy: {accuracy:.4f}")
