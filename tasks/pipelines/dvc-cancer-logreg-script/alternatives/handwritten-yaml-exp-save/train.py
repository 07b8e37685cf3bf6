# alternative: dvc.yaml written by hand (a whole params section for prepare), explicit GitPython commit,
# the experiment made by editing params.yaml, reproducing and saving the workspace as an experiment
"""Logistic regression on the breast cancer data set, as a four-stage DVC pipeline.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage (what DVC calls)."""
import json
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

PARAMS = {"prepare": {"test_size": 0.25, "seed": 42}, "train": {"C": 1.0, "max_iter": 1000}}


def params(section):
    return yaml.safe_load(Path("params.yaml").read_text())[section]


def prepare():
    p = params("prepare")
    frame = load_breast_cancer(as_frame=True).frame
    train, test = train_test_split(frame, test_size=p["test_size"], random_state=p["seed"], stratify=frame["target"])
    Path("data/prepared").mkdir(parents=True, exist_ok=True)
    train.to_csv("data/prepared/train.csv", index=False)
    test.to_csv("data/prepared/test.csv", index=False)


def featurize():
    train = pd.read_csv("data/prepared/train.csv")
    test = pd.read_csv("data/prepared/test.csv")
    scaler = StandardScaler().fit(train.drop(columns="target"))
    Path("data/features").mkdir(parents=True, exist_ok=True)
    for name, frame in (("train", train), ("test", test)):
        np.save(f"data/features/X_{name}.npy", scaler.transform(frame.drop(columns="target")))
        np.save(f"data/features/y_{name}.npy", frame["target"].to_numpy())


def train():
    p = params("train")
    X, y = np.load("data/features/X_train.npy"), np.load("data/features/y_train.npy")
    joblib.dump(LogisticRegression(C=p["C"], max_iter=p["max_iter"]).fit(X, y), "model.joblib")


def evaluate():
    model = joblib.load("model.joblib")
    X, y = np.load("data/features/X_test.npy"), np.load("data/features/y_test.npy")
    scores = {"accuracy": accuracy_score(y, model.predict(X)), "log_loss": log_loss(y, model.predict_proba(X))}
    Path("metrics.json").write_text(json.dumps(scores, indent=2))


PIPELINE = """\
stages:
  prepare:
    cmd: python3 train.py prepare
    deps: [train.py]
    params:
      - params.yaml:
          - prepare
    outs: [data/prepared]
  featurize:
    cmd: python3 train.py featurize
    deps: [train.py, data/prepared]
    outs: [data/features]
  train:
    cmd: python3 train.py train
    deps: [train.py, data/features]
    params:
      - params.yaml:
          - train.C
          - train.max_iter
    outs: [model.joblib]
  evaluate:
    cmd: python3 train.py evaluate
    deps: [train.py, data/features, model.joblib]
    metrics:
      - metrics.json:
          cache: false
"""


def write_params(values):
    Path("params.yaml").write_text(yaml.safe_dump(values, sort_keys=False))


def build():
    git = GitRepo.init(".")
    DvcRepo.init(".")
    write_params(PARAMS)
    Path("dvc.yaml").write_text(PIPELINE)
    with DvcRepo(".") as dvc:
        dvc.reproduce()
    git.index.add(["train.py", "params.yaml", "dvc.yaml", "dvc.lock", "metrics.json", ".gitignore",
                   "data/.gitignore", ".dvc/config", ".dvc/.gitignore", ".dvcignore"])
    git.index.commit("Breast cancer pipeline: baseline")
    scores = json.loads(Path("metrics.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")
    print(f"log_loss: {scores['log_loss']:.4f}")
    # The experiment: change the param in the workspace, reproduce, save it as an experiment.
    write_params({**PARAMS, "train": {**PARAMS["train"], "C": 0.05}})
    with DvcRepo(".") as dvc:
        dvc.reproduce()
        dvc.experiments.save(name="strong-reg")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "featurize": featurize, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build()
