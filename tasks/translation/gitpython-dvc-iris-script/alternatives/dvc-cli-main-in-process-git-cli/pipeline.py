# alternative: DVC's command-line entry point called in-process (stage defined by its `stage add` command), git through its command line, functions
"""Write the iris data set, train a model, and version data and model with DVC."""
import json
import os
import subprocess

from dvc.cli import main as dvc_main
from sklearn.datasets import load_iris

DATA = "data/iris.csv"


def dvc(*args):
    if dvc_main(list(args)) != 0:
        raise SystemExit(f"dvc {' '.join(args)} failed")


def git(*args):
    subprocess.run(["git", *args], check=True)


def export_data():
    os.makedirs("data", exist_ok=True)
    load_iris(as_frame=True).frame.to_csv(DATA, index=False)


def main():
    git("init", "--quiet")
    dvc("init", "--quiet")
    export_data()
    dvc("add", "--quiet", DATA)
    dvc("stage", "add", "-n", "train", "-d", "train.py", "-d", DATA, "-o", "model.pkl",
        "-M", "metrics.json", "python3 train.py")
    dvc("repro", "--quiet", "train")
    git("add", "--all")
    git("commit", "--quiet", "-m", "Track iris data and the training stage with DVC")
    git("tag", "v1")
    with open("metrics.json") as handle:
        print(f"accuracy: {json.load(handle)['accuracy']:.4f}")


if __name__ == "__main__":
    main()
