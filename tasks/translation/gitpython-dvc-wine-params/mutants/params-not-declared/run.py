# mutant: the stage lists train.py and the data as deps but does not declare the params.yaml parameters
"""Export the data, train through a DVC stage, and version data and model with DVC."""
import json
from pathlib import Path

from dvc.repo import Repo as DvcRepo
from git import Repo
from sklearn.datasets import load_wine


def export_data(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    load_wine(as_frame=True).frame.to_csv(path, index=False)


def define_pipeline(dvc):
    dvc.stage.add(
        name="train",
        cmd="python3 train.py",
        deps=["train.py", "data/wine.csv"],
        outs=["model.joblib"],
        metrics_no_cache=["scores.json"],
    )


def main():
    repo = Repo.init(Path.cwd())
    dvc = DvcRepo.init(".")
    data = Path("data/wine.csv")
    export_data(data)
    dvc.add(str(data))
    define_pipeline(dvc)
    dvc.reproduce("train")
    repo.git.add(all=True)
    repo.index.commit("Track wine data and the training stage with DVC")
    repo.create_tag("baseline")
    scores = json.loads(Path("scores.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")


if __name__ == "__main__":
    main()
