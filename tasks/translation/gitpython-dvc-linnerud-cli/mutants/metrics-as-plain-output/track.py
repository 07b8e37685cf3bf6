# mutant: passes metrics.yaml with --outs instead of as a metrics file
import os
import subprocess

import git
import yaml
from sklearn.datasets import load_linnerud


def dvc(*args):
    subprocess.run(["dvc", *args], check=True)


repo = git.Repo.init(".")
dvc("init", "--quiet")
os.makedirs("data", exist_ok=True)
load_linnerud(as_frame=True).frame.to_csv("data/linnerud.csv", index=False)
dvc("add", "--quiet", "data/linnerud.csv")
dvc(
    "stage", "add", "--name", "fit", "--deps", "fit.py", "--deps", "data/linnerud.csv",
    "--outs", "model.pkl", "--outs", "metrics.yaml", "python3 fit.py",
)
dvc("repro", "--quiet")
repo.git.add(all=True)
repo.index.commit("Linnerud ridge model, versioned with DVC")
repo.create_tag("release", message="Multi-output ridge on linnerud")
with open("metrics.yaml") as handle:
    print(f"r2: {yaml.safe_load(handle)['r2']:.4f}")
