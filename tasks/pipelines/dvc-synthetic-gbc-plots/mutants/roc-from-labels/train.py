# mutant: the ROC curve is computed from the predicted labels, not the predicted probabilities
"""Gradient boosting on a synthetic classification problem, after univariate feature
selection, as a DVC pipeline: prepare, featurize, train and evaluate, whose metrics file
holds the test scores and whose plot file the test ROC curve.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py <stage>` runs one stage with the values of params.yaml."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import yaml
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split

PARAMS = {
    "prepare": {"n_samples": 600, "test_size": 0.3, "seed": 7},
    "featurize": {"k": 8},
    "train": {"n_estimators": 60, "learning_rate": 0.1, "max_depth": 2, "seed": 0},
}


def params(section):
    return yaml.safe_load(Path("params.yaml").read_text())[section]


def make_data(n_samples=600, test_size=0.3, seed=7):
    X, y = make_classification(n_samples=n_samples, n_features=20, n_informative=6, n_redundant=4, flip_y=0.05,
                               random_state=seed)
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)


def select_features(X_train, X_test, y_train, k=8):
    selector = SelectKBest(f_classif, k=k).fit(X_train, y_train)
    return selector.transform(X_train), selector.transform(X_test)


def fit_model(X_train, y_train, n_estimators=60, learning_rate=0.1, max_depth=2, seed=0):
    model = GradientBoostingClassifier(n_estimators=n_estimators, learning_rate=learning_rate, max_depth=max_depth,
                                       random_state=seed)
    return model.fit(X_train, y_train)


def write_roc(path, y_true, scores):
    fpr, tpr, thresholds = roc_curve(y_true, scores)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["fpr", "tpr", "threshold"])
        writer.writerows(zip(fpr, tpr, thresholds))


def prepare():
    X_train, X_test, y_train, y_test = make_data(**params("prepare"))
    Path("data").mkdir(exist_ok=True)
    np.savez("data/prepared.npz", X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)


def featurize():
    data = np.load("data/prepared.npz")
    X_train, X_test = select_features(data["X_train"], data["X_test"], data["y_train"], **params("featurize"))
    np.savez("data/features.npz", X_train=X_train, X_test=X_test, y_train=data["y_train"], y_test=data["y_test"])


def train():
    data = np.load("data/features.npz")
    joblib.dump(fit_model(data["X_train"], data["y_train"], **params("train")), "model.joblib")


def evaluate():
    data = np.load("data/features.npz")
    model = joblib.load("model.joblib")
    scores = model.predict_proba(data["X_test"])[:, 1]
    Path("eval").mkdir(exist_ok=True)
    write_roc("eval/roc.csv", data["y_test"], model.predict(data["X_test"]))
    metrics = {"accuracy": accuracy_score(data["y_test"], model.predict(data["X_test"])),
               "roc_auc": roc_auc_score(data["y_test"], scores)}
    Path("eval/metrics.json").write_text(json.dumps(metrics, indent=2))


def run(*command):
    subprocess.run(command, check=True)


def stage(name, *options):
    run("dvc", "stage", "add", "--name", name, *options, f"python3 train.py {name}")


def build():
    run("git", "init", "--quiet")
    run("dvc", "init", "--quiet")
    Path("params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    stage("prepare", "-d", "train.py", "-p", "prepare.n_samples,prepare.test_size,prepare.seed",
          "-o", "data/prepared.npz")
    stage("featurize", "-d", "train.py", "-d", "data/prepared.npz", "-p", "featurize.k", "-o", "data/features.npz")
    stage("train", "-d", "train.py", "-d", "data/features.npz",
          "-p", "train.n_estimators,train.learning_rate,train.max_depth,train.seed", "-o", "model.joblib")
    stage("evaluate", "-d", "train.py", "-d", "data/features.npz", "-d", "model.joblib",
          "-M", "eval/metrics.json", "--plots-no-cache", "eval/roc.csv")
    run("dvc", "repro")
    run("git", "add", "--all")
    run("git", "commit", "--quiet", "-m", "Gradient boosting pipeline: baseline")
    metrics = json.loads(Path("eval/metrics.json").read_text())
    print(f"accuracy: {metrics['accuracy']:.4f}")
    print(f"roc_auc: {metrics['roc_auc']:.4f}")
    run("dvc", "exp", "run", "--name", "k4-fast", "--set-param", "featurize.k=4", "--set-param", "train.learning_rate=0.3")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        {"prepare": prepare, "featurize": featurize, "train": train, "evaluate": evaluate}[sys.argv[1]]()
    else:
        build()
