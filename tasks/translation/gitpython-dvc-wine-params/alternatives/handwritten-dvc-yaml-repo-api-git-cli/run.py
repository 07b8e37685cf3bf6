# alternative: dvc.yaml written by hand with a params section, DVC's Repo opened as a context manager to reproduce, git through its command line
"""Export the data, train through a hand-written DVC stage, and version data and model with DVC."""
import json
import subprocess
from pathlib import Path

from dvc.repo import Repo as DvcRepo
from sklearn.datasets import load_wine

DATA = Path("data/wine.csv")
PIPELINE = """\
stages:
  train:
    cmd: python3 train.py
    deps:
      - train.py
      - data/wine.csv
    params:
      - params.yaml:
          - train.n_estimators
          - train.max_depth
    outs:
      - model.joblib
    metrics:
      - scores.json:
          cache: false
"""


def git(*args):
    subprocess.run(["git", *args], check=True)


def export_data(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    load_wine(as_frame=True).frame.to_csv(path, index=False)


def main():
    git("init", "--quiet")
    DvcRepo.init(".")
    export_data(DATA)
    Path("dvc.yaml").write_text(PIPELINE)
    with DvcRepo(".") as dvc:
        dvc.add(str(DATA))
        dvc.reproduce()
    git("add", "run.py", "train.py", "params.yaml", "dvc.yaml", "dvc.lock", "scores.json",
        ".gitignore", ".dvc", ".dvcignore", "data/wine.csv.dvc", "data/.gitignore")
    git("commit", "--quiet", "-m", "Train random forest through a hand-written DVC stage")
    git("tag", "baseline")
    scores = json.loads(Path("scores.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")


if __name__ == "__main__":
    main()
