# alternative: the dvc command line (`dvc stage add -p ...`, `dvc repro`) and an explicit GitPython commit
"""Export the data, train through a DVC stage defined with the dvc CLI, version with DVC."""
import json
import subprocess
from pathlib import Path

from git import Repo
from sklearn.datasets import load_wine

DATA = Path("data/wine.csv")


def dvc(*args):
    subprocess.run(["dvc", *args], check=True)


def export_data(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    load_wine(as_frame=True).frame.to_csv(path, index=False)


def define_pipeline():
    dvc(
        "stage", "add", "--name", "train",
        "--deps", "train.py", "--deps", str(DATA),
        "--params", "train.n_estimators,train.max_depth",
        "--outs", "model.joblib",
        "--metrics-no-cache", "scores.json",
        "python3 train.py",
    )


def commit(repo, paths, message):
    repo.index.add([str(p) for p in paths])
    return repo.index.commit(message)


def main():
    repo = Repo.init(Path.cwd())
    dvc("init", "--quiet")
    export_data(DATA)
    dvc("add", "--quiet", str(DATA))
    define_pipeline()
    dvc("repro", "--quiet")
    commit(
        repo,
        ["run.py", "train.py", "params.yaml", "dvc.yaml", "dvc.lock", "scores.json", ".gitignore",
         "data/wine.csv.dvc", "data/.gitignore", ".dvc/config", ".dvc/.gitignore", ".dvcignore"],
        "Train random forest through DVC",
    )
    repo.create_tag("baseline")
    scores = json.loads(Path("scores.json").read_text())
    print(f"accuracy: {scores['accuracy']:.4f}")


if __name__ == "__main__":
    main()
