# alternative: DVC's own CLI entry point called in-process, dvc.yaml written with PyYAML, git through GitPython's git wrapper
"""Keep the diabetes experiment reproducible: DVC versions data and model, git the rest."""
import json
import os

import git
import yaml
from dvc.cli import main as dvc_main
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

FIT_STAGE = {
    "cmd": "python3 model.py",
    "deps": ["model.py", "data"],
    "outs": ["ridge.pkl"],
    "metrics": [{"eval/metrics.json": {"cache": False}}],
}


class ExperimentVersioner:
    def __init__(self, root="."):
        self.root = root
        self.repo = git.Repo.init(root)
        self.dvc("init", "--quiet")

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def dvc(self, *args):
        code = dvc_main(["--cd", self.root, *args])
        if code != 0:
            raise RuntimeError(f"dvc {' '.join(args)} exited with {code}")

    def prepare_data(self):
        frame = load_diabetes(as_frame=True).frame
        train, test = train_test_split(frame, test_size=0.2, random_state=42)
        os.makedirs(self.path("data"), exist_ok=True)
        train.to_csv(self.path("data", "train.csv"), index=False)
        test.to_csv(self.path("data", "test.csv"), index=False)
        self.dvc("add", "--quiet", "data")

    def fit(self):
        with open(self.path("dvc.yaml"), "w") as handle:
            yaml.safe_dump({"stages": {"fit": FIT_STAGE}}, handle, sort_keys=False)
        self.dvc("repro", "--quiet", "fit")
        with open(self.path("eval", "metrics.json")) as handle:
            return json.load(handle)["rmse"]

    def snapshot(self, message):
        self.repo.git.add("versioning.py", "model.py", "data.dvc", "dvc.yaml", "dvc.lock",
                          "eval/metrics.json", ".gitignore", ".dvc")
        self.repo.git.commit("-m", message)

    def release(self, tag):
        self.repo.git.tag(tag)


if __name__ == "__main__":
    versioner = ExperimentVersioner()
    versioner.prepare_data()
    rmse = versioner.fit()
    versioner.snapshot("Version diabetes data and the ridge model with DVC")
    versioner.release("ridge-v1")
    print(f"rmse: {rmse:.4f}")
