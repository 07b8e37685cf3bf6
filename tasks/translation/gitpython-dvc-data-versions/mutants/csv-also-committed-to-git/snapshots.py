# mutant: keeps adding the CSV to the git index next to its .dvc file
"""Grow a synthetic data set in two batches, versioning each with DVC, then train."""
import os

import git
import pandas as pd
from dvc.repo import Repo
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


def save_version(repo, dvc, frame, tag):
    frame.to_csv(DATA, index=False)
    dvc.add(DATA)
    repo.index.add([DATA])
    repo.git.add(all=True)
    repo.index.commit(f"Data {tag}: {len(frame)} rows")
    repo.create_tag(tag)


def main():
    repo = git.Repo.init(".")
    dvc = Repo.init(".")
    os.makedirs("data", exist_ok=True)
    first = batch(seed=1)
    save_version(repo, dvc, first, "data-v1")
    both = pd.concat([first, batch(seed=2)], ignore_index=True)
    save_version(repo, dvc, both, "data-v2")

    frame = pd.read_csv(DATA)
    model = GradientBoostingClassifier(n_estimators=40, random_state=0)
    scores = cross_val_score(model, frame.drop(columns="label"), frame["label"], cv=3)
    print(f"rows: {len(frame)}")
    print(f"accuracy: {scores.mean():.4f}")


if __name__ == "__main__":
    main()
