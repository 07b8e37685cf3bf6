# alternative: `dvc stage add -p hparams.toml:...` on the command line; the experiment made by editing
# hparams.toml with tomlkit, reproducing and saving the workspace as an experiment (Python API)
"""Gaussian naive Bayes on the iris features that best separate the species, as a DVC
pipeline of four stages whose params live in hparams.toml.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage with the values of hparams.toml."""
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import joblib
import numpy as np
import tomlkit
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
from sklearn.datasets import load_iris
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

HPARAMS = """\
[split]
test_size = 0.4
seed = 5

[select]
k = 2

[model]
var_smoothing = 1e-9
"""


class IrisNaiveBayes:
    """Each stage reads its params from hparams.toml and the files of the stage before it."""

    def __init__(self, path="hparams.toml"):
        with open(path, "rb") as handle:
            self.params = tomllib.load(handle)
        Path("artifacts").mkdir(exist_ok=True)

    def split(self):
        p = self.params["split"]
        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=p["test_size"], random_state=p["seed"], stratify=y)
        np.savez("artifacts/split.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)

    def select(self):
        data = np.load("artifacts/split.npz")
        selector = SelectKBest(f_classif, k=self.params["select"]["k"]).fit(data["X_train"], data["y_train"])
        np.savez("artifacts/selected.npz", X_train=selector.transform(data["X_train"]),
                 X_test=selector.transform(data["X_test"]), y_train=data["y_train"], y_test=data["y_test"])

    def train(self):
        data = np.load("artifacts/selected.npz")
        model = GaussianNB(var_smoothing=self.params["model"]["var_smoothing"])
        joblib.dump(model.fit(data["X_train"], data["y_train"]), "artifacts/nb.joblib")

    def evaluate(self):
        data = np.load("artifacts/selected.npz")
        model = joblib.load("artifacts/nb.joblib")
        scores = {"accuracy": accuracy_score(data["y_test"], model.predict(data["X_test"])),
                  "log_loss": log_loss(data["y_test"], model.predict_proba(data["X_test"]))}
        Path("metrics.json").write_text(json.dumps(scores, indent=2))


def sh(*command):
    subprocess.run(command, check=True)


def build():
    git = GitRepo.init(".")
    DvcRepo.init(".")
    Path("hparams.toml").write_text(HPARAMS)
    sh("dvc", "stage", "add", "-n", "split", "-d", "train.py", "-p", "hparams.toml:split.test_size,split.seed",
       "-o", "artifacts/split.npz", "python3 train.py split")
    sh("dvc", "stage", "add", "-n", "select", "-d", "train.py", "-d", "artifacts/split.npz",
       "-p", "hparams.toml:select.k", "-o", "artifacts/selected.npz", "python3 train.py select")
    sh("dvc", "stage", "add", "-n", "train", "-d", "train.py", "-d", "artifacts/selected.npz",
       "-p", "hparams.toml:model.var_smoothing", "-o", "artifacts/nb.joblib", "python3 train.py train")
    sh("dvc", "stage", "add", "-n", "evaluate", "-d", "train.py", "-d", "artifacts/selected.npz",
       "-d", "artifacts/nb.joblib", "-M", "metrics.json", "python3 train.py evaluate")
    with DvcRepo(".") as dvc:
        dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Iris naive Bayes pipeline: baseline")
    for name, value in json.loads(Path("metrics.json").read_text()).items():
        print(f"{name}: {value:.4f}")
    # The experiment: hparams.toml edited in place, reproduced, saved as an experiment.
    hparams = tomlkit.parse(Path("hparams.toml").read_text())
    hparams["select"]["k"] = 1
    Path("hparams.toml").write_text(tomlkit.dumps(hparams))
    with DvcRepo(".") as dvc:
        dvc.reproduce()
        dvc.experiments.save(name="one-feature")

if __name__ == "__main__":
    if len(sys.argv) > 1:
        getattr(IrisNaiveBayes(), sys.argv[1])()
    else:
        build()
