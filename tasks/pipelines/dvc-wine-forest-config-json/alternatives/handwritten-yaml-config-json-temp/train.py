# alternative: dvc.yaml by hand with config.json as the params file (a whole `split` section) and a cached
# metrics file; git's command line; the experiment run in a temporary copy (`dvc exp run --temp`)
"""Random forest on the wine data set, configured by config.json, as a DVC pipeline whose
params file is config.json itself.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage."""
import json
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
from dvc.repo import Repo as DvcRepo
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split


def config():
    with open("config.json") as handle:
        return json.load(handle)


def prepare():
    split = config()["split"]
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=split["test_size"], random_state=split["seed"], stratify=y)
    Path("data").mkdir(exist_ok=True)
    np.savez("data/split.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def train():
    p = config()["forest"]
    data = np.load("data/split.npz")
    forest = RandomForestClassifier(n_estimators=p["n_estimators"], max_depth=p["max_depth"], random_state=p["seed"])
    joblib.dump(forest.fit(data["X_train"], data["y_train"]), "forest.joblib")


def evaluate():
    data = np.load("data/split.npz")
    forest = joblib.load("forest.joblib")
    scores = {"accuracy": accuracy_score(data["y_test"], forest.predict(data["X_test"])),
              "log_loss": log_loss(data["y_test"], forest.predict_proba(data["X_test"]))}
    Path("metrics.json").write_text(json.dumps(scores))


PIPELINE = """\
stages:
  prepare:
    cmd: python3 train.py prepare
    deps: [train.py]
    params:
      - config.json:
          - split
    outs: [data/split.npz]
  train:
    cmd: python3 train.py train
    deps: [train.py, data/split.npz]
    params:
      - config.json:
          - forest.n_estimators
          - forest.max_depth
          - forest.seed
    outs: [forest.joblib]
  evaluate:
    cmd: python3 train.py evaluate
    deps: [train.py, data/split.npz, forest.joblib]
    metrics:
      - metrics.json
"""


def build():
    subprocess.run(["git", "init", "-q"], check=True)
    dvc = DvcRepo.init(".")
    Path("dvc.yaml").write_text(PIPELINE)
    dvc.reproduce()
    subprocess.run(["git", "add", "-A"], check=True)
    subprocess.run(["git", "commit", "-qm", "Wine forest pipeline"], check=True)
    scores = json.loads(Path("metrics.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")
    print(f"log_loss: {scores['log_loss']:.4f}")
    subprocess.run(["dvc", "exp", "run", "--temp", "-n", "stumps", "-S", "config.json:forest.max_depth=1"],
                   check=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build()
