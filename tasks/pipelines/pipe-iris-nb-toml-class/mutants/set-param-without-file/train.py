# mutant: the experiment sets select.k without naming hparams.toml, as if it were a key of params.yaml
"""Gaussian naive Bayes on the iris features that best separate the species, as a DVC
pipeline of four stages whose params live in hparams.toml.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage with the values of hparams.toml."""
import json
import sys
import tomllib
from pathlib import Path

import joblib
import numpy as np
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


def build():
    git = GitRepo.init(".")
    dvc = DvcRepo.init(".")
    Path("hparams.toml").write_text(HPARAMS)
    dvc.stage.add(name="split", cmd="python3 train.py split", deps=["train.py"],
                  params=[{"hparams.toml": ["split.test_size", "split.seed"]}], outs=["artifacts/split.npz"])
    dvc.stage.add(name="select", cmd="python3 train.py select", deps=["train.py", "artifacts/split.npz"],
                  params=[{"hparams.toml": ["select.k"]}], outs=["artifacts/selected.npz"])
    dvc.stage.add(name="train", cmd="python3 train.py train", deps=["train.py", "artifacts/selected.npz"],
                  params=[{"hparams.toml": ["model.var_smoothing"]}], outs=["artifacts/nb.joblib"])
    dvc.stage.add(name="evaluate", cmd="python3 train.py evaluate",
                  deps=["train.py", "artifacts/selected.npz", "artifacts/nb.joblib"], metrics_no_cache=["metrics.json"])
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Iris naive Bayes pipeline: baseline")
    for name, value in json.loads(Path("metrics.json").read_text()).items():
        print(f"{name}: {value:.4f}")
    dvc.experiments.run(params=["select.k=1"], name="one-feature")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        getattr(IrisNaiveBayes(), sys.argv[1])()
    else:
        build()
