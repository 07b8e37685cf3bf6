"""Support vector classifier on PCA-reduced digits, as a DVC pipeline of four stages.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage with the values of params.yaml."""
import json
import sys
from pathlib import Path

import joblib
import numpy as np
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

PARAMS = {
    "prepare": {"test_size": 0.3, "seed": 0},
    "reduce": {"n_components": 24},
    "train": {"C": 5.0, "gamma": 0.02},
}


class DigitsClassifier:
    """Each stage reads the params it needs and the files of the stage before it."""

    def __init__(self, params_path="params.yaml"):
        self.params = yaml.safe_load(Path(params_path).read_text())

    def prepare(self):
        p = self.params["prepare"]
        X, y = load_digits(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(
            X / 16.0, y, test_size=p["test_size"], random_state=p["seed"], stratify=y)
        Path("data/prepared").mkdir(parents=True, exist_ok=True)
        np.savez("data/prepared/digits.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)

    def reduce(self):
        data = np.load("data/prepared/digits.npz")
        pca = PCA(n_components=self.params["reduce"]["n_components"], random_state=self.params["prepare"]["seed"])
        Path("data/reduced").mkdir(parents=True, exist_ok=True)
        np.savez("data/reduced/digits.npz", X_train=pca.fit_transform(data["X_train"]),
                 X_test=pca.transform(data["X_test"]), y_train=data["y_train"], y_test=data["y_test"])

    def train(self):
        data = np.load("data/reduced/digits.npz")
        svc = SVC(C=self.params["train"]["C"], gamma=self.params["train"]["gamma"])
        joblib.dump(svc.fit(data["X_train"], data["y_train"]), "svc.joblib")

    def evaluate(self):
        data = np.load("data/reduced/digits.npz")
        predicted = joblib.load("svc.joblib").predict(data["X_test"])
        scores = {"accuracy": accuracy_score(data["y_test"], predicted),
                  "f1_macro": f1_score(data["y_test"], predicted, average="macro")}
        Path("metrics.json").write_text(json.dumps(scores, indent=2))


def build():
    git = GitRepo.init(".")
    dvc = DvcRepo.init(".")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    dvc.stage.add(name="prepare", cmd="python3 train.py prepare", deps=["train.py"],
                  params=["prepare.test_size", "prepare.seed"], outs=["data/prepared"])
    dvc.stage.add(name="reduce", cmd="python3 train.py reduce", deps=["train.py", "data/prepared"],
                  params=["reduce.n_components", "prepare.seed"], outs=["data/reduced"])
    dvc.stage.add(name="train", cmd="python3 train.py train", deps=["train.py", "data/reduced"],
                  params=["train.C", "train.gamma"], outs=["svc.joblib"])
    dvc.stage.add(name="evaluate", cmd="python3 train.py evaluate", deps=["train.py", "data/reduced", "svc.joblib"],
                  metrics_no_cache=["metrics.json"])
    dvc.reproduce()
    git.git.add(all=True)
    git.index.commit("Digits SVC pipeline")
    for name, value in json.loads(Path("metrics.json").read_text()).items():
        print(f"{name}: {value:.4f}")
    dvc.experiments.run(params=["reduce.n_components=8"], name="pca-8")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        getattr(DigitsClassifier(), sys.argv[1])()
    else:
        build()
