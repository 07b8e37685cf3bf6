# mutant: the score step prints its scores, so the experiment's run prints the last lines, not the baseline's
"""k-nearest neighbours on the wine data set, as a command line with one subcommand a step,
and a DVC pipeline of those steps.

    python3 train.py split --test-size 0.5 --seed 3           writes wine_split.npz
    python3 train.py fit --n-neighbors 7 --weights uniform    writes knn.joblib
    python3 train.py score --metrics metrics.json             writes the test scores
    python3 train.py                                          builds and runs the DVC pipeline

The stages' commands take their options from params.yaml (DVC fills in `${...}`)."""
import argparse
import json
from pathlib import Path

import joblib
import numpy as np
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SPLIT, MODEL = "wine_split.npz", "knn.joblib"
PARAMS = {"split": {"test_size": 0.5, "seed": 3}, "fit": {"n_neighbors": 7, "weights": "uniform"}}


def split(args):
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, random_state=args.seed, stratify=y)
    np.savez(SPLIT, X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def fit(args):
    data = np.load(SPLIT)
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights))
    joblib.dump(model.fit(data["X_train"], data["y_train"]), MODEL)


def score(args):
    data = np.load(SPLIT)
    predicted = joblib.load(MODEL).predict(data["X_test"])
    scores = {"accuracy": accuracy_score(data["y_test"], predicted),
              "f1_macro": f1_score(data["y_test"], predicted, average="macro")}
    Path(args.metrics).write_text(json.dumps(scores, indent=2))
    for name, value in scores.items():
        print(f"{name}: {value:.4f}")


def pipeline(args):
    git = GitRepo.init(".")
    dvc = DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc.stage.add(name="split", cmd="python3 train.py split --test-size ${split.test_size} --seed ${split.seed}",
                  deps=["train.py"], params=["split.test_size", "split.seed"], outs=[SPLIT])
    dvc.stage.add(name="fit", cmd="python3 train.py fit --n-neighbors ${fit.n_neighbors} --weights ${fit.weights}",
                  deps=["train.py", SPLIT], params=["fit.n_neighbors", "fit.weights"], outs=[MODEL])
    dvc.stage.add(name="score", cmd="python3 train.py score --metrics metrics.json",
                  deps=["train.py", SPLIT, MODEL], metrics_no_cache=["metrics.json"])
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Wine k-NN pipeline: baseline")
    dvc.experiments.run(params=["fit.weights=distance"], name="distance")


def parser():
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.set_defaults(run=pipeline)
    steps = cli.add_subparsers(dest="step")
    step = steps.add_parser("split", help="stratified train/test split of the wine data")
    step.add_argument("--test-size", type=float, default=0.5)
    step.add_argument("--seed", type=int, default=3)
    step.set_defaults(run=split)
    step = steps.add_parser("fit", help="scaled k-nearest neighbours on the training rows")
    step.add_argument("--n-neighbors", type=int, default=7)
    step.add_argument("--weights", choices=["uniform", "distance"], default="uniform")
    step.set_defaults(run=fit)
    step = steps.add_parser("score", help="accuracy and macro F1 on the test rows")
    step.add_argument("--metrics", default="metrics.json")
    step.set_defaults(run=score)
    return cli


if __name__ == "__main__":
    args = parser().parse_args()
    args.run(args)
