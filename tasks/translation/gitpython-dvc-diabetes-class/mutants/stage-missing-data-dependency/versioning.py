# mutant: the fit stage depends on model.py only, not on the data directory
"""Keep the diabetes experiment reproducible: DVC versions data and model, git the rest."""
import json
import os

import git
from dvc.repo import Repo
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split


class ExperimentVersioner:
    def __init__(self, root="."):
        self.root = root
        self.repo = git.Repo.init(root)
        self.dvc = Repo.init(root)

    def prepare_data(self):
        frame = load_diabetes(as_frame=True).frame
        train, test = train_test_split(frame, test_size=0.2, random_state=42)
        os.makedirs(os.path.join(self.root, "data"), exist_ok=True)
        train.to_csv(os.path.join(self.root, "data", "train.csv"), index=False)
        test.to_csv(os.path.join(self.root, "data", "test.csv"), index=False)
        self.dvc.add("data")

    def fit(self):
        self.dvc.stage.add(
            name="fit",
            cmd="python3 model.py",
            deps=["model.py"],
            outs=["ridge.pkl"],
            metrics_no_cache=["eval/metrics.json"],
        )
        self.dvc.reproduce("fit")
        with open(os.path.join(self.root, "eval", "metrics.json")) as handle:
            return json.load(handle)["rmse"]

    def snapshot(self, message):
        self.repo.git.add(all=True)
        self.repo.index.commit(message)

    def release(self, tag):
        self.repo.create_tag(tag)


if __name__ == "__main__":
    versioner = ExperimentVersioner()
    versioner.prepare_data()
    rmse = versioner.fit()
    versioner.snapshot("Version diabetes data and the ridge model with DVC")
    versioner.release("ridge-v1")
    print(f"rmse: {rmse:.4f}")
