"""Export the data, train, and keep every artefact under git version control."""
from pathlib import Path

from git import Repo
from sklearn.datasets import load_wine

from train import fit_and_score, load_params


def export_data(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    load_wine(as_frame=True).frame.to_csv(path, index=False)


def commit(repo, paths, message):
    repo.index.add([str(p) for p in paths])
    return repo.index.commit(message)


def main():
    repo = Repo.init(Path.cwd())
    data = Path("data/wine.csv")
    export_data(data)
    commit(repo, [data, "params.yaml"], "Add wine data and parameters")
    scores = fit_and_score(load_params())
    commit(repo, ["run.py", "train.py", "model.joblib", "scores.json"], "Train random forest")
    repo.create_tag("baseline")
    print(f"accuracy: {scores['accuracy']:.4f}")


if __name__ == "__main__":
    main()
