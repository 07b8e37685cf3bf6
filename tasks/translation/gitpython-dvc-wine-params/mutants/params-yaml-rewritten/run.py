# mutant: writes its own params.yaml with different hyperparameters before defining the stage
"""Export the data, train through a DVC stage, and version data and model with DVC."""
import json
from pathlib import Path

from dvc.repo import Repo as DvcRepo
from git import Repo
import yaml
from sklearn.datasets import load_wine


def export_data(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    load_wine(as_frame=True).frame.to_csv(path, index=False)


def define_pipeline(dvc):
    dvc.stage.add(
        name="train",
        cmd="python3 train.py",
        deps=["train.py", "data/wine.csv"],
        params=["train.n_estimators", "train.max_depth"],
        outs=["model.joblib"],
        metrics_no_cache=["scores.json"],
    )


def main():
    repo = Repo.init(Path.cwd())
    dvc = DvcRepo.init(".")
    data = Path("data/wine.csv")
    export_data(data)
    dvc.add(str(data))
    with open("params.yaml", "w") as handle:
        yaml.safe_dump({"train": {"n_estimators": 100, "max_depth": 6, "seed": 7}}, handle)
    define_pipeline(dvc)
    dvc.reproduce("train")
    repo.git.add(all=True)
    repo.index.commit("Track wine data and the training stage with DVC")
    repo.create_tag("baseline")
    scores = json.loads(Path("scores.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")


if __name__ == "__main__":
    main()
