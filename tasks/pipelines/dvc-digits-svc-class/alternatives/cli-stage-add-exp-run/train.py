# alternative: the dvc and git command lines (`dvc stage add`, `dvc repro`, `dvc exp run -n -S`)
"""Support vector classifier on PCA-reduced digits, as a DVC pipeline of four stages.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage with the values of params.yaml."""
import json
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import yaml
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


def sh(*command):
    subprocess.run(command, check=True)


def build():
    sh("git", "init", "--quiet")
    sh("dvc", "init", "--quiet")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    sh("dvc", "stage", "add", "-n", "prepare", "-d", "train.py", "-p", "prepare.test_size,prepare.seed",
       "-o", "data/prepared", "python3 train.py prepare")
    sh("dvc", "stage", "add", "-n", "reduce", "-d", "train.py", "-d", "data/prepared",
       "-p", "reduce.n_components,prepare.seed", "-o", "data/reduced", "python3 train.py reduce")
    sh("dvc", "stage", "add", "-n", "train", "-d", "train.py", "-d", "data/reduced", "-p", "train.C,train.gamma",
       "-o", "svc.joblib", "python3 train.py train")
    sh("dvc", "stage", "add", "-n", "evaluate", "-d", "train.py", "-d", "data/reduced", "-d", "svc.joblib",
       "-M", "metrics.json", "python3 train.py evaluate")
    sh("dvc", "repro")
    sh("git", "add", "-A")
    sh("git", "commit", "-q", "-m", "Digits SVC pipeline")
    scores = json.loads(Path("metrics.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")
    print(f"f1_macro: {scores['f1_macro']:.4f}")
    sh("dvc", "exp", "run", "-n", "pca-8", "-S", "reduce.n_components=8")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        getattr(DigitsClassifier(), sys.argv[1])()
    else:
        build()
