"""Keep the diabetes experiment reproducible by versioning its files in git."""
import os

import git
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

import model


class ExperimentVersioner:
    def __init__(self, root="."):
        self.root = root
        self.repo = git.Repo.init(root)

    def prepare_data(self):
        frame = load_diabetes(as_frame=True).frame
        train, test = train_test_split(frame, test_size=0.2, random_state=42)
        os.makedirs(os.path.join(self.root, "data"), exist_ok=True)
        train.to_csv(os.path.join(self.root, "data", "train.csv"), index=False)
        test.to_csv(os.path.join(self.root, "data", "test.csv"), index=False)
        self.snapshot(["data/train.csv", "data/test.csv"], "Split diabetes data")

    def fit(self):
        rmse = model.train()
        self.snapshot(["versioning.py", "model.py", "ridge.pkl", "eval/metrics.json"], "Fit ridge model")
        return rmse

    def snapshot(self, paths, message):
        self.repo.index.add(paths)
        self.repo.index.commit(message)

    def release(self, tag):
        self.repo.create_tag(tag)


if __name__ == "__main__":
    versioner = ExperimentVersioner()
    versioner.prepare_data()
    rmse = versioner.fit()
    versioner.release("ridge-v1")
    print(f"rmse: {rmse:.4f}")
