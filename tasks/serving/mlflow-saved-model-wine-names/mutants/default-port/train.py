# mutant: the scoring server is started on its default port (5000), not the asked 5004
"""Train the wine cultivar classifier, report its test accuracy and save it as an MLflow
model in ./wine_model; `python3 train.py serve` serves that directory with MLflow's scoring
server on 127.0.0.1:5004."""
import os
import shutil
import sys

import mlflow.sklearn

from data import load
from model import build

MODEL_DIR = "wine_model"


def train():
    X_train, X_test, y_train, y_test = load()
    pipeline = build().fit(X_train, y_train)
    print(f"accuracy: {pipeline.score(X_test, y_test):.4f}")
    print("classes:", ", ".join(pipeline.classes_))
    shutil.rmtree(MODEL_DIR, ignore_errors=True)  # save_model refuses an existing directory
    # The DataFrame example gives the model a signature with the 13 column names.
    mlflow.sklearn.save_model(pipeline, MODEL_DIR, input_example=X_train.head(3))


def serve():
    os.execvp("mlflow", ["mlflow", "models", "serve", "-m", MODEL_DIR, "--env-manager", "local",
                         "--host", "127.0.0.1"])


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else train()
