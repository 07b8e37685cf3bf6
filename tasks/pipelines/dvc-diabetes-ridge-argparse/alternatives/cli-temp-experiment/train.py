# alternative: the dvc and git command lines, stage commands spelt --stage=NAME, the experiment run in a
# temporary copy (`dvc exp run --temp`)
"""Polynomial ridge regression on the diabetes data set, as a DVC pipeline.

`python3 train.py` builds the pipeline, runs it and one experiment;
`python3 train.py --stage NAME` runs one stage with the values of params.yaml."""
import argparse
import json
import pickle
import subprocess
from pathlib import Path

import numpy as np
import yaml
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

PARAMS = {
    "split": {"test_size": 0.2, "seed": 3},
    "featurize": {"degree": 2},
    "train": {"alpha": 30.0},
}
STAGES = ("split", "featurize", "train", "evaluate")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", choices=STAGES)
    return parser.parse_args()


def params():
    return yaml.safe_load(Path("params.yaml").read_text())


def split():
    p = params()["split"]
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=p["test_size"], random_state=p["seed"])
    Path("data/split").mkdir(parents=True, exist_ok=True)
    np.savez("data/split/arrays.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def featurize():
    p = params()["featurize"]
    arrays = np.load("data/split/arrays.npz")
    features = make_pipeline(StandardScaler(), PolynomialFeatures(degree=p["degree"], include_bias=False))
    Path("data/features").mkdir(parents=True, exist_ok=True)
    np.savez(
        "data/features/arrays.npz",
        X_train=features.fit_transform(arrays["X_train"]), X_test=features.transform(arrays["X_test"]),
        y_train=arrays["y_train"], y_test=arrays["y_test"],
    )


def train():
    p = params()["train"]
    arrays = np.load("data/features/arrays.npz")
    model = Ridge(alpha=p["alpha"]).fit(arrays["X_train"], arrays["y_train"])
    Path("model.pkl").write_bytes(pickle.dumps(model))


def evaluate():
    arrays = np.load("data/features/arrays.npz")
    model = pickle.loads(Path("model.pkl").read_bytes())
    predictions = model.predict(arrays["X_test"])
    scores = {
        "rmse": mean_squared_error(arrays["y_test"], predictions) ** 0.5,
        "r2": r2_score(arrays["y_test"], predictions),
    }
    Path("scores.json").write_text(json.dumps(scores, indent=2))
    return scores


def dvc(*args):
    subprocess.run(["dvc", *args], check=True)


def build():
    subprocess.run(["git", "init", "--quiet"], check=True)
    dvc("init", "--quiet")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc("stage", "add", "--name", "split", "--deps", "train.py", "--params", "split.test_size,split.seed",
        "--outs", "data/split", "python3 train.py --stage=split")
    dvc("stage", "add", "--name", "featurize", "--deps", "train.py", "--deps", "data/split",
        "--params", "featurize.degree", "--outs", "data/features", "python3 train.py --stage=featurize")
    dvc("stage", "add", "--name", "train", "--deps", "train.py", "--deps", "data/features",
        "--params", "train.alpha", "--outs", "model.pkl", "python3 train.py --stage=train")
    dvc("stage", "add", "--name", "evaluate", "--deps", "train.py", "--deps", "data/features", "--deps", "model.pkl",
        "--metrics-no-cache", "scores.json", "python3 train.py --stage=evaluate")
    dvc("repro")
    subprocess.run(["git", "add", "--all"], check=True)
    subprocess.run(["git", "commit", "--quiet", "--message", "Diabetes ridge pipeline"], check=True)
    scores = json.loads(Path("scores.json").read_text())
    print(f"rmse: {scores['rmse']:.4f}")
    print(f"r2: {scores['r2']:.4f}")
    # In a temporary copy: the workspace keeps the baseline.
    dvc("exp", "run", "--temp", "--name", "linear", "--set-param", "featurize.degree=1")


def main():
    args = parse_args()
    if args.stage:
        globals()[args.stage]()
    else:
        build()


if __name__ == "__main__":
    main()
