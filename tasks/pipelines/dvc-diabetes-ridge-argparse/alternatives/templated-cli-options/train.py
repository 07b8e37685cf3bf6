# alternative: the stages keep the command-line options, filled in by dvc.yaml's templating from params.yaml
# (`--degree ${featurize.degree}`, the params declared as well); dvc.yaml written by hand; the dvc CLI
"""Polynomial ridge regression on the diabetes data set, as a DVC pipeline.

`python3 train.py` builds the pipeline, runs it and one experiment; `python3 train.py
--stage NAME [options]` runs one stage with the options DVC fills in from params.yaml."""
import argparse
import json
import pickle
import subprocess
from pathlib import Path

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

PARAMS_YAML = """\
split:
  test_size: 0.2
  seed: 3
featurize:
  degree: 2
train:
  alpha: 30.0
"""

DVC_YAML = """\
stages:
  split:
    cmd: python3 train.py --stage split --test-size ${split.test_size} --seed ${split.seed}
    deps: [train.py]
    params: [split.test_size, split.seed]
    outs: [data/split]
  featurize:
    cmd: python3 train.py --stage featurize --degree ${featurize.degree}
    deps: [train.py, data/split]
    params: [featurize.degree]
    outs: [data/features]
  train:
    cmd: python3 train.py --stage train --alpha ${train.alpha}
    deps: [train.py, data/features]
    params: [train.alpha]
    outs: [model.pkl]
  evaluate:
    cmd: python3 train.py --stage evaluate
    deps: [train.py, data/features, model.pkl]
    metrics:
      - scores.json:
          cache: false
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", choices=("split", "featurize", "train", "evaluate"))
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--degree", type=int, default=2)
    parser.add_argument("--alpha", type=float, default=30.0)
    return parser.parse_args()


def split(args):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=args.seed)
    Path("data/split").mkdir(parents=True, exist_ok=True)
    np.savez("data/split/arrays.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def featurize(args):
    arrays = np.load("data/split/arrays.npz")
    features = make_pipeline(StandardScaler(), PolynomialFeatures(degree=args.degree, include_bias=False))
    Path("data/features").mkdir(parents=True, exist_ok=True)
    np.savez("data/features/arrays.npz", X_train=features.fit_transform(arrays["X_train"]),
             X_test=features.transform(arrays["X_test"]), y_train=arrays["y_train"], y_test=arrays["y_test"])


def train(args):
    arrays = np.load("data/features/arrays.npz")
    model = Ridge(alpha=args.alpha).fit(arrays["X_train"], arrays["y_train"])
    Path("model.pkl").write_bytes(pickle.dumps(model))


def evaluate(args):
    arrays = np.load("data/features/arrays.npz")
    predictions = pickle.loads(Path("model.pkl").read_bytes()).predict(arrays["X_test"])
    scores = {"rmse": mean_squared_error(arrays["y_test"], predictions) ** 0.5,
              "r2": r2_score(arrays["y_test"], predictions)}
    Path("scores.json").write_text(json.dumps(scores, indent=2))


def run(*command):
    subprocess.run(command, check=True)


def build():
    run("git", "init", "--quiet")
    run("dvc", "init", "--quiet")
    Path("params.yaml").write_text(PARAMS_YAML)
    Path("dvc.yaml").write_text(DVC_YAML)
    run("dvc", "repro")
    run("git", "add", "--all")
    run("git", "commit", "--quiet", "--message", "Diabetes ridge pipeline")
    scores = json.loads(Path("scores.json").read_text())
    print(f"rmse: {scores['rmse']:.4f}")
    print(f"r2: {scores['r2']:.4f}")
    run("dvc", "exp", "run", "--name", "linear", "--set-param", "featurize.degree=1")


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.stage:
        globals()[arguments.stage](arguments)
    else:
        build()
