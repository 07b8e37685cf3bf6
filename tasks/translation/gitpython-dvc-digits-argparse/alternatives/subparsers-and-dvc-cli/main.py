# alternative: argparse subcommands with shared options and the dvc command line through subprocess
"""Digits classification with an SVC; data and model versioned with DVC."""
import argparse
import json
import os
import pickle
import subprocess

import git
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

DATA = "data/digits.csv"


def parse_args(argv=None):
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--test-size", type=float, default=0.25)
    options.add_argument("--C", type=float, default=5.0)
    options.add_argument("--gamma", type=float, default=0.001)
    options.add_argument("--seed", type=int, default=0)
    parser = argparse.ArgumentParser(description=__doc__, parents=[options])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("train", parents=[options], help="only train from data/digits.csv")
    return parser.parse_args(argv)


def export(path=DATA):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    load_digits(as_frame=True).frame.to_csv(path, index=False)
    return path


def train(args, path=DATA):
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


def dvc(*args):
    subprocess.run(["dvc", *args], check=True)


def run_all(args):
    repo = git.Repo.init(".")
    dvc("init", "--quiet")
    dvc("add", "--quiet", export())
    dvc("stage", "add", "-n", "train", "-d", "main.py", "-d", DATA, "-o", "svc.pkl",
        "-M", "metrics.json", "python3 main.py train")
    dvc("repro", "--quiet", "train")
    repo.git.add("main.py", "dvc.yaml", "dvc.lock", "metrics.json", ".gitignore", ".dvc",
                 "data/digits.csv.dvc", "data/.gitignore")
    repo.index.commit(f"SVC C={args.C} gamma={args.gamma}, versioned with DVC")
    repo.create_tag("digits-svc")
    with open("metrics.json") as handle:
        return json.load(handle)["accuracy"]


def main():
    args = parse_args()
    if args.command == "train":
        train(args)
    else:
        print(f"accuracy: {run_all(args):.4f}")


if __name__ == "__main__":
    main()
