# alternative: a `matrix` stage over the model kinds (each key of the section declared), commands with an
# option, dvc.yaml written as text, git and dvc command lines, the experiment in a temporary copy (--temp)
"""Compare a nearest-neighbours classifier and a decision tree on the iris data, as a DVC
pipeline whose train stages come from one matrix definition.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py --stage split` / `python3 train.py --stage train --kind KIND` run one stage."""
import argparse
import json
import subprocess
from pathlib import Path

import joblib
import numpy as np
import yaml
from sklearn.metrics import accuracy_score, f1_score

from data import load_split
from models import make_model

PARAMS_YAML = """\
split:
  test_size: 0.5
  seed: 3
models:
  knn:
    n_neighbors: 9
    weights: distance
  tree:
    max_depth: 3
    min_samples_leaf: 4
    seed: 0
"""
DVC_YAML = """\
stages:
  split:
    cmd: python train.py --stage split
    deps:
      - train.py
      - data.py
    params:
      - split.test_size
      - split.seed
    outs:
      - data/split.npz
  train:
    matrix:
      kind: [knn, tree]
    cmd: python train.py --stage train --kind ${item.kind}
    deps:
      - train.py
      - models.py
      - data/split.npz
    params:
      - models.knn.n_neighbors
      - models.knn.weights
      - models.tree.max_depth
      - models.tree.min_samples_leaf
      - models.tree.seed
    outs:
      - models/${item.kind}.joblib
    metrics:
      - metrics/${item.kind}.json:
          cache: false
"""


def settings():
    return yaml.safe_load(Path("params.yaml").read_text())


def split():
    p = settings()["split"]
    X_train, X_test, y_train, y_test = load_split(test_size=p["test_size"], seed=p["seed"])
    Path("data").mkdir(exist_ok=True)
    np.savez("data/split.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def train(kind):
    arrays = np.load("data/split.npz")
    model = make_model(kind, settings()["models"][kind]).fit(arrays["X_train"], arrays["y_train"])
    Path("models").mkdir(exist_ok=True)
    joblib.dump(model, Path("models") / f"{kind}.joblib")
    predicted = model.predict(arrays["X_test"])
    Path("metrics").mkdir(exist_ok=True)
    Path("metrics", f"{kind}.json").write_text(json.dumps({
        "accuracy": accuracy_score(arrays["y_test"], predicted),
        "f1_macro": f1_score(arrays["y_test"], predicted, average="macro"),
    }))


def sh(*command):
    subprocess.run(command, check=True)


def build():
    sh("git", "init", "--quiet")
    sh("dvc", "init", "--quiet")
    Path("params.yaml").write_text(PARAMS_YAML)
    Path("dvc.yaml").write_text(DVC_YAML)
    sh("dvc", "repro", "--quiet")
    sh("git", "add", "--all")
    sh("git", "commit", "--quiet", "-m", "baseline: iris classifiers")
    for kind in ("knn", "tree"):
        scores = json.loads(Path("metrics", f"{kind}.json").read_text())
        for name in ("accuracy", "f1_macro"):
            print(f"{kind}_{name}: {scores[name]:.4f}")
    sh("dvc", "exp", "run", "--temp", "--name", "one-nn", "--set-param", "models.knn.n_neighbors=1")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--stage", choices=("split", "train"))
    parser.add_argument("--kind", choices=("knn", "tree"))
    args = parser.parse_args()
    if args.stage == "split":
        split()
    elif args.stage == "train":
        train(args.kind)
    else:
        build()
