# alternative: the git and dvc command lines; both experiments in the workspace, which is reset to the
# baseline (git reset --hard, dvc checkout) between them; the rmse read back with dvc.api.exp_show
"""Predict weight, waist and pulse from exercise counts (Linnerud) with gradient boosting,
as a DVC pipeline of three stages with two experiments compared.

`python3 train.py` builds and runs the pipeline and the experiments;
`python3 train.py <stage>` runs one stage with the values of params.yaml."""
import json
import subprocess
import sys
from pathlib import Path

import dvc.api
import joblib
import numpy as np
import yaml

from data import load_split
from model import build, scores

PARAMS = {"prepare": {"test_size": 0.25, "seed": 0},
          "train": {"n_estimators": 50, "learning_rate": 0.1, "max_depth": 2}}
EXPERIMENTS = {"stumps": "train.max_depth=1", "fast": "train.learning_rate=0.3"}


def params():
    return yaml.safe_load(Path("params.yaml").read_text())


def prepare():
    p = params()["prepare"]
    X_train, X_test, Y_train, Y_test = load_split(p["test_size"], p["seed"])
    Path("data").mkdir(exist_ok=True)
    np.savez("data/split.npz", X_train=X_train, X_test=X_test, Y_train=Y_train, Y_test=Y_test)


def train():
    p = params()
    data = np.load("data/split.npz")
    model = build(p["train"]["n_estimators"], p["train"]["learning_rate"], p["train"]["max_depth"],
                  p["prepare"]["seed"])
    joblib.dump(model.fit(data["X_train"], data["Y_train"]), "model.joblib")


def evaluate():
    data = np.load("data/split.npz")
    Path("metrics.json").write_text(json.dumps(scores(joblib.load("model.joblib"), data["X_test"], data["Y_test"])))


def sh(*command):
    subprocess.run(command, check=True)


def build_pipeline():
    sh("git", "init", "-q")
    sh("dvc", "init", "-q")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    sh("dvc", "stage", "add", "-n", "prepare", "-d", "train.py", "-d", "data.py",
       "-p", "prepare.test_size,prepare.seed", "-o", "data/split.npz", "python3 train.py prepare")
    sh("dvc", "stage", "add", "-n", "train", "-d", "train.py", "-d", "model.py", "-d", "data/split.npz",
       "-p", "train.n_estimators,train.learning_rate,train.max_depth,prepare.seed", "-o", "model.joblib",
       "python3 train.py train")
    sh("dvc", "stage", "add", "-n", "evaluate", "-d", "train.py", "-d", "model.py", "-d", "data/split.npz",
       "-d", "model.joblib", "-M", "metrics.json", "python3 train.py evaluate")
    sh("dvc", "repro", "-q")
    sh("git", "add", "-A")
    sh("git", "commit", "-q", "-m", "Linnerud boosting pipeline: baseline")
    baseline = json.loads(Path("metrics.json").read_text())
    print(f"rmse: {baseline['rmse']:.4f}")
    print(f"mae: {baseline['mae']:.4f}")
    for name, change in EXPERIMENTS.items():
        sh("git", "reset", "-q", "--hard", "HEAD")   # the baseline's params, lock and metrics
        sh("dvc", "checkout", "-q")                   # and its outputs
        sh("dvc", "exp", "run", "-q", "--name", name, "--set-param", change)
    rows = [row for row in dvc.api.exp_show() if row.get("Experiment") in EXPERIMENTS]
    rmse = {row["Experiment"]: row["rmse"] for row in rows}
    print(f"best_experiment: {min(rmse, key=rmse.get)}")

if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build_pipeline()
