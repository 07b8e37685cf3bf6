# alternative: dvc.yaml dumped from a dict (a whole params section, a file-qualified key, `python` commands),
# the baseline metrics read through dvc.api, the experiment saved from an edited and reproduced workspace
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


PIPELINE = {
    "stages": {
        "split": {"cmd": "python train.py --stage split", "deps": ["train.py"], "params": ["split"],
                  "outs": ["data/split"]},
        "featurize": {"cmd": "python train.py --stage featurize", "deps": ["train.py", "data/split"],
                      "params": ["featurize.degree"], "outs": ["data/features"]},
        "train": {"cmd": "python train.py --stage train", "deps": ["train.py", "data/features"],
                  "params": [{"params.yaml": ["train.alpha"]}], "outs": ["model.pkl"]},
        "evaluate": {"cmd": "python train.py --stage evaluate", "deps": ["train.py", "data/features", "model.pkl"],
                     "metrics": [{"scores.json": {"cache": False}}]},
    }
}


def build():
    git = GitRepo.init(".")
    DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    Path("dvc.yaml").write_text(yaml.safe_dump(PIPELINE, sort_keys=False))
    dvc = DvcRepo(".")
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Diabetes ridge pipeline")
    scores = evaluate_scores()
    print(f"rmse: {scores['rmse']:.4f}")
    print(f"r2: {scores['r2']:.4f}")
    # The experiment: params.yaml changed in the workspace, reproduced, saved as an experiment.
    Path("params.yaml").write_text(yaml.safe_dump({**PARAMS, "featurize": {"degree": 1}}, sort_keys=False))
    dvc.reproduce()
    dvc.experiments.save(name="linear")


def evaluate_scores():
    import dvc.api

    return dvc.api.metrics_show()


def main():
    args = parse_args()
    if args.stage:
        globals()[args.stage]()
    else:
        build()


if __name__ == "__main__":
    main()
