# mutant: plots/loss.csv is a plain output of train, not declared to DVC as a plot
# %% [markdown]
# # Diabetes progression with a small neural network, as a DVC pipeline
# One year's disease progression from ten baseline measurements, with a one-layer MLP.
# `python3 train.py` builds the pipeline (prepare -> train -> evaluate), runs it, commits
# the baseline and runs the experiment `wide`; `python3 train.py <stage>` runs one stage
# with the values of params.yaml.

# %%
import csv
import json
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

# %% Parameters (the defaults written to params.yaml)
PARAMS = {
    "prepare": {"test_size": 0.2, "seed": 1},
    "train": {"hidden": 32, "alpha": 0.01, "learning_rate": 0.01, "epochs": 150},
}


def params():
    return yaml.safe_load(Path("params.yaml").read_text())


# %% Stage prepare: split, then standardise the measurements (fitted on the training rows)
def prepare():
    p = params()["prepare"]
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=p["test_size"], random_state=p["seed"])
    scaler = StandardScaler().fit(X_train)
    Path("data").mkdir(exist_ok=True)
    np.savez("data/prepared.npz", X_train=scaler.transform(X_train), X_test=scaler.transform(X_test),
             y_train=y_train, y_test=y_test)


# %% Stage train: the MLP, and its training loss by epoch as a plot
def train():
    p = params()
    data = np.load("data/prepared.npz")
    t = p["train"]
    mlp = MLPRegressor(hidden_layer_sizes=(t["hidden"],), alpha=t["alpha"], learning_rate_init=t["learning_rate"],
                       max_iter=t["epochs"], random_state=p["prepare"]["seed"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs, on purpose
        mlp.fit(data["X_train"], data["y_train"])
    joblib.dump(mlp, "mlp.joblib")
    Path("plots").mkdir(exist_ok=True)
    with open("plots/loss.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", "loss"])
        writer.writerows((epoch, repr(float(loss))) for epoch, loss in enumerate(mlp.loss_curve_, start=1))


# %% Stage evaluate: scores on the test rows
def evaluate():
    data = np.load("data/prepared.npz")
    predicted = joblib.load("mlp.joblib").predict(data["X_test"])
    scores = {"rmse": float(np.sqrt(mean_squared_error(data["y_test"], predicted))),
              "r2": r2_score(data["y_test"], predicted)}
    Path("metrics.json").write_text(json.dumps(scores, indent=2))


# %% Build and run the pipeline, commit the baseline, run the experiment
def build():
    git = GitRepo.init(".")
    dvc = DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc.stage.add(name="prepare", cmd="python3 train.py prepare", deps=["train.py"],
                  params=["prepare.test_size", "prepare.seed"], outs=["data/prepared.npz"])
    dvc.stage.add(name="train", cmd="python3 train.py train", deps=["train.py", "data/prepared.npz"],
                  params=["train.hidden", "train.alpha", "train.learning_rate", "train.epochs", "prepare.seed"],
                  outs=["mlp.joblib", "plots/loss.csv"])
    dvc.stage.add(name="evaluate", cmd="python3 train.py evaluate", deps=["train.py", "data/prepared.npz", "mlp.joblib"],
                  metrics_no_cache=["metrics.json"])
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Diabetes MLP pipeline: baseline")
    losses = [float(row["loss"]) for row in csv.DictReader(open("plots/loss.csv"))]
    scores = json.loads(Path("metrics.json").read_text())
    print(f"epochs: {len(losses)}, first loss: {losses[0]:.1f}, last loss: {losses[-1]:.1f}")
    print(f"rmse: {scores['rmse']:.4f}")
    print(f"r2: {scores['r2']:.4f}")
    dvc.experiments.run(params=["train.hidden=64"], name="wide")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build()
