# alternative: dvc.yaml written with PyYAML, DVC's command-line entry point called in-process, git through its command line
"""Digits classification with an SVC; data and model versioned with DVC."""
import argparse
import json
import os
import pickle
import subprocess

import pandas as pd
import yaml
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

DATA = "data/digits.csv"
PIPELINE = {
    "stages": {
        "train": {
            "cmd": "python3 main.py train",
            "deps": ["main.py", DATA],
            "outs": ["svc.pkl"],
            "metrics": [{"metrics.json": {"cache": False}}],
        }
    }
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "train"],
                        help="run: the whole run (default); train: only train from the exported data")
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--C", type=float, default=5.0)
    parser.add_argument("--gamma", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


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
    from dvc.cli import main as dvc_main  # the train command runs inside DVC and does not need it

    if dvc_main(list(args)) != 0:
        raise SystemExit(f"dvc {' '.join(args)} failed")


def git(*args):
    subprocess.run(["git", *args], check=True)


def run_all(args):
    git("init", "--quiet")
    dvc("init", "--quiet")
    dvc("add", "--quiet", export())
    with open("dvc.yaml", "w") as handle:
        yaml.safe_dump(PIPELINE, handle, sort_keys=False)
    dvc("repro", "--quiet")
    git("add", "--all")
    git("commit", "--quiet", "-m", f"SVC C={args.C} gamma={args.gamma}, trained by DVC")
    git("tag", "digits-svc")
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
