# mutant: the changed parameter is reproduced and committed to git as a new commit, not as a DVC experiment
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


def build():
    git = GitRepo.init(".")
    dvc = DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc.stage.add(name="prepare", cmd="python3 train.py prepare", deps=["train.py"],
                  params=["prepare.test_size", "prepare.seed"], outs=["data/prepared"])
    dvc.stage.add(name="featurize", cmd="python3 train.py featurize", deps=["train.py", "data/prepared"],
                  outs=["data/features"])
    dvc.stage.add(name="train", cmd="python3 train.py train", deps=["train.py", "data/features"],
                  params=["train.C", "train.max_iter"], outs=["model.joblib"])
    dvc.stage.add(name="evaluate", cmd="python3 train.py evaluate",
                  deps=["train.py", "data/features", "model.joblib"], metrics_no_cache=["metrics.json"])
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Breast cancer pipeline: baseline")
    scores = json.loads(Path("metrics.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")
    print(f"log_loss: {scores['log_loss']:.4f}")
    PARAMS["train"]["C"] = 0.05
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("strong-reg: train.C = 0.05")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "featurize": featurize, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build()
