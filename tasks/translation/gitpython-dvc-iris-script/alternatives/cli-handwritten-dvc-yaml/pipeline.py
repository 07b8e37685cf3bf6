# alternative: dvc.yaml written by hand, the dvc and git command lines instead of the Python APIs
"""Write the iris data set and let a hand-written DVC pipeline train the model."""
import json
import os
import subprocess
from pathlib import Path

import git
from sklearn.datasets import load_iris

PIPELINE = """\
stages:
  train:
    cmd: python train.py
    deps:
      - train.py
      - data/iris.csv
    outs:
      - model.pkl
    metrics:
      - metrics.json:
          cache: false
"""


def dvc(*args):
    subprocess.run(["dvc", *args], check=True)


repo = git.Repo.init(".")
dvc("init", "--quiet")

os.makedirs("data", exist_ok=True)
load_iris(as_frame=True).frame.to_csv("data/iris.csv", index=False)
dvc("add", "--quiet", "data/iris.csv")

Path("dvc.yaml").write_text(PIPELINE)
dvc("repro", "--quiet", "train")

repo.git.add(
    "pipeline.py", "train.py", "dvc.yaml", "dvc.lock", "metrics.json", ".gitignore", ".dvc",
    "data/iris.csv.dvc", "data/.gitignore",
)
repo.git.commit("--message", "Version iris data and model with DVC")
repo.git.tag("v1")

accuracy = json.loads(Path("metrics.json").read_text())["accuracy"]
print(f"accuracy: {accuracy:.4f}")
