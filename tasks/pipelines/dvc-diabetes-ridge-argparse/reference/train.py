"""Polynomial ridge regression on the diabetes data set, as a DVC pipeline.

`python3 train.py` builds the pipeline, runs it and one experiment;
`python3 train.py --stage NAME` runs one stage with the values of params.yaml."""
import argparse
import json
import pickle
from pathlib import Path

import numpy as np
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
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


def build():
    git = GitRepo.init(".")
    dvc = DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc.stage.add(name="split", cmd="python3 train.py --stage split", deps=["train.py"],
                  params=["split.test_size", "split.seed"], outs=["data/split"])
    dvc.stage.add(name="featurize", cmd="python3 train.py --stage featurize", deps=["train.py", "data/split"],
                  params=["featurize.degree"], outs=["data/features"])
    dvc.stage.add(name="train", cmd="python3 train.py --stage train", deps=["train.py", "data/features"],
                  params=["train.alpha"], outs=["model.pkl"])
    dvc.stage.add(name="evaluate", cmd="python3 train.py --stage evaluate",
                  deps=["train.py", "data/features", "model.pkl"], metrics_no_cache=["scores.json"])
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Diabetes ridge pipeline")
    scores = json.loads(Path("scores.json").read_text())
    print(f"rmse: {scores['rmse']:.4f}")
    print(f"r2: {scores['r2']:.4f}")
    dvc.experiments.run(params=["featurize.degree=1"], name="linear")


def main():
    args = parse_args()
    if args.stage:
        globals()[args.stage]()
    else:
        build()


if __name__ == "__main__":
    main()
