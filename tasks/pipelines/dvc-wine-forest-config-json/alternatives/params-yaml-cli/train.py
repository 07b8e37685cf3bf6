# alternative: the settings copied to params.yaml (DVC's default params file, a whole `forest` section
# declared), the stages read it; the dvc and git command lines
"""Random forest on the wine data set as a DVC pipeline; the settings of config.json moved
to params.yaml, DVC's default params file.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage."""
import json
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import yaml
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split


def config():
    return yaml.safe_load(Path("params.yaml").read_text())


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


def sh(*command):
    subprocess.run(command, check=True)


def build():
    settings = json.loads(Path("config.json").read_text())
    Path("params.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    sh("git", "init", "-q")
    sh("dvc", "init", "-q")
    sh("dvc", "stage", "add", "-n", "prepare", "-d", "train.py", "-p", "split.test_size,split.seed",
       "-o", "data/split.npz", "python3 train.py prepare")
    sh("dvc", "stage", "add", "-n", "train", "-d", "train.py", "-d", "data/split.npz", "-p", "forest",
       "-o", "forest.joblib", "python3 train.py train")
    sh("dvc", "stage", "add", "-n", "evaluate", "-d", "train.py", "-d", "data/split.npz", "-d", "forest.joblib",
       "-M", "metrics.json", "python3 train.py evaluate")
    sh("dvc", "repro", "-q")
    sh("git", "add", "-A")
    sh("git", "commit", "-qm", "Wine forest pipeline")
    scores = json.loads(Path("metrics.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")
    print(f"log_loss: {scores['log_loss']:.4f}")
    sh("dvc", "exp", "run", "-q", "-n", "stumps", "-S", "forest.max_depth=1")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build()
