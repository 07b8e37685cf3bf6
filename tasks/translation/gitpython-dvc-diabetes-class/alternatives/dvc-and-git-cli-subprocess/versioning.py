# alternative: the dvc command line through subprocess (stage defined by its `stage add` command), git through its command line
"""Keep the diabetes experiment reproducible: DVC versions data and model, git the rest."""
import json
import os
import subprocess

from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split


class ExperimentVersioner:
    def __init__(self, root="."):
        self.root = root
        self.run("git", "init", "--quiet")
        self.run("dvc", "init", "--quiet")

    def run(self, *command):
        subprocess.run(command, cwd=self.root, check=True)

    def prepare_data(self):
        frame = load_diabetes(as_frame=True).frame
        train, test = train_test_split(frame, test_size=0.2, random_state=42)
        os.makedirs(os.path.join(self.root, "data"), exist_ok=True)
        train.to_csv(os.path.join(self.root, "data", "train.csv"), index=False)
        test.to_csv(os.path.join(self.root, "data", "test.csv"), index=False)
        self.run("dvc", "add", "--quiet", "data")

    def fit(self):
        self.run("dvc", "stage", "add", "--name", "fit", "--deps", "model.py", "--deps", "data",
                 "--outs", "ridge.pkl", "--metrics-no-cache", "eval/metrics.json", "python3 model.py")
        self.run("dvc", "repro", "--quiet", "fit")
        with open(os.path.join(self.root, "eval", "metrics.json")) as handle:
            return json.load(handle)["rmse"]

    def snapshot(self, message):
        self.run("git", "add", "--all")
        self.run("git", "commit", "--quiet", "-m", message)

    def release(self, tag):
        self.run("git", "tag", "--annotate", tag, "-m", f"Release {tag}")


if __name__ == "__main__":
    versioner = ExperimentVersioner()
    versioner.prepare_data()
    rmse = versioner.fit()
    versioner.snapshot("Version diabetes data and the ridge model with DVC")
    versioner.release("ridge-v1")
    print(f"rmse: {rmse:.4f}")
