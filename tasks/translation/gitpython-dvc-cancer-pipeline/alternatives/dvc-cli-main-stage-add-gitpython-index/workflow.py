# alternative: DVC's command-line entry point called in-process (stages defined by its `stage add` command), an explicit GitPython index commit and an annotated tag, a table of stages
"""Run the breast cancer workflow as a DVC pipeline and commit its metafiles."""
import json
import os

from dvc.cli import main as dvc_main
from git import Repo
from sklearn.datasets import load_breast_cancer

RAW = "data/raw.csv"
STAGES = [  # name, dependencies, outputs, metrics files
    ("prepare", ["steps.py", RAW], ["data/prepared"], []),
    ("train", ["steps.py", "data/prepared"], ["model.pkl"], ["metrics.json"]),
]


def dvc(*args):
    if dvc_main(list(args)) != 0:
        raise SystemExit(f"dvc {' '.join(args)} failed")


def define(name, deps, outs, metrics):
    options = [f"--deps={d}" for d in deps] + [f"--outs={o}" for o in outs]
    options += [f"--metrics-no-cache={m}" for m in metrics]
    dvc("stage", "add", "--name", name, *options, f"python3 steps.py {name}")


def main():
    repo = Repo.init(".")
    dvc("init", "--quiet")
    os.makedirs("data", exist_ok=True)
    load_breast_cancer(as_frame=True).frame.to_csv(RAW, index=False)
    dvc("add", "--quiet", RAW)
    for stage in STAGES:
        define(*stage)
    dvc("repro", "--quiet")
    repo.index.add([
        "workflow.py", "steps.py", "dvc.yaml", "dvc.lock", "metrics.json", ".gitignore",
        "data/raw.csv.dvc", "data/.gitignore", ".dvc/config", ".dvc/.gitignore", ".dvcignore",
    ])
    repo.index.commit("Breast cancer pipeline under DVC")
    repo.create_tag("pipeline-v1", message="Two-stage DVC pipeline")
    with open("metrics.json") as handle:
        metrics = json.load(handle)
    print(f"accuracy: {metrics['accuracy']:.4f}")
    print(f"f1: {metrics['f1']:.4f}")


if __name__ == "__main__":
    main()
