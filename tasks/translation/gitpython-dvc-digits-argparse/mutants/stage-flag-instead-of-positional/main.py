# mutant: adds a `--stage train` option and uses `python3 main.py --stage train` as the stage command instead of the positional `train`
"""Digits classification with an SVC; data and model versioned with DVC."""
import argparse
import json
import os
import pickle

import git
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", choices=["all", "train"], default="all")
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--C", type=float, default=5.0)
    parser.add_argument("--gamma", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def export(path="data/digits.csv"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    load_digits(as_frame=True).frame.to_csv(path, index=False)
    return path


def train(args, path="data/digits.csv"):
    frame = pd.read_csv(path)
    x_train, x_test, y_train, y_test = train_test_split(
        frame.drop(columns="target"), frame["target"], test_size=args.test_size, random_state=args.seed
    )
    model = SVC(C=args.C, gamma=args.gamma).fit(x_train, y_train)
    accuracy = float(model.score(x_test, y_test))
    with open("svc.pkl", "wb") as handle:
        pickle.dump(model, handle)
    with open("metrics.json", "w") as handle:
        json.dump({"accuracy": accuracy}, handle)
    return accuracy


def main():
    args = parse_args()
    if args.stage == "train":
        train(args)
        return
    from dvc.repo import Repo  # only the full run needs DVC, not the stage it runs

    repo = git.Repo.init(".")
    dvc = Repo.init(".")
    data = export()
    dvc.add(data)
    dvc.stage.add(
        name="train",
        cmd="python3 main.py --stage train",
        deps=["main.py", data],
        outs=["svc.pkl"],
        metrics_no_cache=["metrics.json"],
    )
    dvc.reproduce("train")
    repo.git.add(all=True)
    repo.index.commit(f"SVC C={args.C} gamma={args.gamma} (DVC)")
    repo.create_tag("digits-svc")
    with open("metrics.json") as handle:
        print(f"accuracy: {json.load(handle)['accuracy']:.4f}")


if __name__ == "__main__":
    main()
