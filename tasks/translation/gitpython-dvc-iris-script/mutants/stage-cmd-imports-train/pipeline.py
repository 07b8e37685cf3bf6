# mutant: the stage command imports train and calls main() instead of running `python3 train.py`
"""Write the iris data set, train a model, and version data and model with DVC."""
import json
import os

import git
from dvc.repo import Repo
from sklearn.datasets import load_iris

git_repo = git.Repo.init(".")
dvc_repo = Repo.init(".")

os.makedirs("data", exist_ok=True)
load_iris(as_frame=True).frame.to_csv("data/iris.csv", index=False)
dvc_repo.add("data/iris.csv")

dvc_repo.stage.add(
    name="train",
    cmd='python3 -c "import train; train.main()"',
    deps=["train.py", "data/iris.csv"],
    outs=["model.pkl"],
    metrics_no_cache=["metrics.json"],
)
dvc_repo.reproduce("train")

git_repo.index.add([
    "pipeline.py", "train.py", "data/iris.csv.dvc", "data/.gitignore", ".gitignore",
    "dvc.yaml", "dvc.lock", "metrics.json", ".dvc/config", ".dvc/.gitignore", ".dvcignore",
])
git_repo.index.commit("Track iris data and the training stage with DVC")
git_repo.create_tag("v1")

with open("metrics.json") as handle:
    metrics = json.load(handle)
print(f"accuracy: {metrics['accuracy']:.4f}")
