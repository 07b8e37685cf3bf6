"""Predict weight, waist and pulse from exercise counts (Linnerud) with gradient boosting,
as a DVC pipeline of three stages with two experiments compared.

`python3 train.py` builds and runs the pipeline and the experiments;
`python3 train.py <stage>` runs one stage with the values of params.yaml."""
import json
import sys
from pathlib import Path

import dvc.api
import joblib
import numpy as np
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo

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


def build_pipeline():
    git = GitRepo.init(".")
    project = DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    project.stage.add(name="prepare", cmd="python3 train.py prepare", deps=["train.py", "data.py"],
                  params=["prepare.test_size", "prepare.seed"], outs=["data/split.npz"])
    project.stage.add(name="train", cmd="python3 train.py train", deps=["train.py", "model.py", "data/split.npz"],
                  params=["train.n_estimators", "train.learning_rate", "train.max_depth", "prepare.seed"],
                  outs=["model.joblib"])
    project.stage.add(name="evaluate", cmd="python3 train.py evaluate",
                  deps=["train.py", "model.py", "data/split.npz", "model.joblib"], metrics_no_cache=["metrics.json"])
    project.reproduce()
    git.git.add(all=True)
    git.index.commit("Linnerud boosting pipeline: baseline")
    for name, value in json.loads(Path("metrics.json").read_text()).items():
        print(f"{name}: {value:.4f}")
    # Each experiment in a temporary copy of the baseline, so the second does not start
    # from the first one's params.
    for name, change in EXPERIMENTS.items():
        project.experiments.run(params=[change], name=name, tmp_dir=True)
    rmse = {name: dvc.api.metrics_show(rev=name)["rmse"] for name in EXPERIMENTS}
    print(f"best_experiment: {min(rmse, key=rmse.get)}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build_pipeline()
