# alternative: DVC's Python API (Repo.init, add, stage.add, reproduce) instead of the dvc command line
import os

import git
import yaml
from dvc.repo import Repo
from sklearn.datasets import load_linnerud


def export(path="data/linnerud.csv"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    load_linnerud(as_frame=True).frame.to_csv(path, index=False)
    return path


scm = git.Repo.init(".")
with Repo.init(".") as project:
    data = export()
    project.add(data)
    project.stage.add(
        name="fit",
        cmd="python fit.py",
        deps=["fit.py", data],
        outs=["model.pkl"],
        metrics_no_cache=["metrics.yaml"],
    )
    project.reproduce("fit")

scm.index.add([
    "track.py", "fit.py", "dvc.yaml", "dvc.lock", "metrics.yaml", ".gitignore",
    "data/linnerud.csv.dvc", "data/.gitignore", ".dvc/config", ".dvc/.gitignore", ".dvcignore",
])
scm.index.commit("Linnerud ridge model, versioned with DVC")
scm.create_tag("release", message="Multi-output ridge on linnerud")
with open("metrics.yaml") as handle:
    print(f"r2: {yaml.safe_load(handle)['r2']:.4f}")
