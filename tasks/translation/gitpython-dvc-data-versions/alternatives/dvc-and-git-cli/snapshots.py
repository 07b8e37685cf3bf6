# alternative: the dvc and git command lines through subprocess, versions described in a table
"""Grow a synthetic data set in two batches, versioning each with DVC, then train."""
import os
import subprocess

import pandas as pd
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import cross_val_score

DATA = "data/samples.csv"
VERSIONS = [("data-v1", [1]), ("data-v2", [1, 2])]  # tag, seeds of the batches it holds


def sh(*command):
    subprocess.run(command, check=True)


def batch(seed, rows=500):
    features, labels = make_classification(
        n_samples=rows, n_features=8, n_informative=5, random_state=seed
    )
    frame = pd.DataFrame(features, columns=[f"x{i}" for i in range(8)])
    frame["label"] = labels
    return frame


def main():
    sh("git", "init", "--quiet")
    sh("dvc", "init", "--quiet")
    os.makedirs("data", exist_ok=True)
    for tag, seeds in VERSIONS:
        frame = pd.concat([batch(seed) for seed in seeds], ignore_index=True)
        frame.to_csv(DATA, index=False)
        sh("dvc", "add", "--quiet", DATA)
        sh("git", "add", "snapshots.py", ".dvc", f"{DATA}.dvc", "data/.gitignore")
        sh("git", "commit", "--quiet", "-m", f"Data {tag}: {len(frame)} rows")
        sh("git", "tag", tag)

    frame = pd.read_csv(DATA)
    model = GradientBoostingClassifier(n_estimators=40, random_state=0)
    scores = cross_val_score(model, frame.drop(columns="label"), frame["label"], cv=3)
    print(f"rows: {len(frame)}")
    print(f"accuracy: {scores.mean():.4f}")


if __name__ == "__main__":
    main()
