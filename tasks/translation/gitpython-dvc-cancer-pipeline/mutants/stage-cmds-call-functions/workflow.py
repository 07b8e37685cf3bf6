# mutant: the stage commands import steps and call the functions instead of `python3 steps.py prepare|train`
"""Run the breast cancer workflow as a DVC pipeline and commit its metafiles."""
import json
import os

from dvc.repo import Repo as DvcRepo
from git import Repo
from sklearn.datasets import load_breast_cancer

repo = Repo.init(".")
dvc = DvcRepo.init(".")
os.makedirs("data", exist_ok=True)
load_breast_cancer(as_frame=True).frame.to_csv("data/raw.csv", index=False)
dvc.add("data/raw.csv")

dvc.stage.add(
    name="prepare", cmd='python3 -c "import steps; steps.prepare()"',
    deps=["steps.py", "data/raw.csv"], outs=["data/prepared"],
)
dvc.stage.add(
    name="train", cmd='python3 -c "import steps; steps.train()"',
    deps=["steps.py", "data/prepared"], outs=["model.pkl"], metrics_no_cache=["metrics.json"],
)
dvc.reproduce()

repo.git.add(all=True)
repo.index.commit("Breast cancer pipeline under DVC")
repo.create_tag("pipeline-v1")

with open("metrics.json") as handle:
    metrics = json.load(handle)
print(f"accuracy: {metrics['accuracy']:.4f}")
print(f"f1: {metrics['f1']:.4f}")
