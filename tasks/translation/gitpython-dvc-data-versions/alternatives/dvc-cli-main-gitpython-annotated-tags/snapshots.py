# alternative: DVC's command-line entry point called in-process, explicit GitPython index commits and annotated tags, a versioner class
"""Grow a synthetic data set in two batches, versioning each with DVC, then train."""
import os

import git
import pandas as pd
from dvc.cli import main as dvc_main
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import cross_val_score

DATA = "data/samples.csv"


def batch(seed, rows=500):
    features, labels = make_classification(
        n_samples=rows, n_features=8, n_informative=5, random_state=seed
    )
    frame = pd.DataFrame(features, columns=[f"x{i}" for i in range(8)])
    frame["label"] = labels
    return frame


class DataVersions:
    """Each version: the CSV given to DVC, its metafile committed to git and tagged."""

    def __init__(self):
        self.repo = git.Repo.init(".")
        self.dvc("init", "--quiet")
        self.repo.index.add([".dvc/config", ".dvc/.gitignore", ".dvcignore", "snapshots.py"])
        self.repo.index.commit("Start a DVC project")

    @staticmethod
    def dvc(*args):
        if dvc_main(list(args)) != 0:
            raise SystemExit(f"dvc {' '.join(args)} failed")

    def save(self, frame, tag):
        frame.to_csv(DATA, index=False)
        self.dvc("add", "--quiet", DATA)
        self.repo.index.add([f"{DATA}.dvc", "data/.gitignore"])
        self.repo.index.commit(f"Data {tag}: {len(frame)} rows")
        self.repo.create_tag(tag, message=f"{len(frame)} rows")


def main():
    os.makedirs("data", exist_ok=True)
    versions = DataVersions()
    first = batch(seed=1)
    versions.save(first, "data-v1")
    versions.save(pd.concat([first, batch(seed=2)], ignore_index=True), "data-v2")

    frame = pd.read_csv(DATA)
    model = GradientBoostingClassifier(n_estimators=40, random_state=0)
    scores = cross_val_score(model, frame.drop(columns="label"), frame["label"], cv=3)
    print(f"rows: {len(frame)}")
    print(f"accuracy: {scores.mean():.4f}")


if __name__ == "__main__":
    main()
