# alternative: dvc.yaml written once with PyYAML before the loop, `dvc repro` on the command line, annotated tags, a function per release
"""Train one KNN model per k through a DVC stage and release each as a tagged commit."""
import json
import subprocess

import git
import yaml

STAGES = {
    "stages": {
        "fit": {
            "cmd": "python3 fit_knn.py",
            "deps": ["fit_knn.py"],
            "params": ["knn.k"],
            "outs": ["model.joblib"],
            "metrics": [{"metrics.json": {"cache": False}}],
        }
    }
}


def dvc(*args):
    subprocess.run(["dvc", *args], check=True)


def release(repo, k):
    with open("params.yaml", "w") as handle:
        yaml.safe_dump({"knn": {"k": k}}, handle)
    dvc("repro", "--quiet", "fit")
    repo.index.add(["params.yaml", "dvc.lock", "metrics.json"])
    repo.index.commit(f"KNN regressor with k={k}")
    repo.create_tag(f"model-k{k}", message=f"KNN regressor, k={k}")
    with open("metrics.json") as handle:
        return json.load(handle)["rmse"]


def main():
    repo = git.Repo.init(".")
    dvc("init", "--quiet")
    with open("dvc.yaml", "w") as handle:
        yaml.safe_dump(STAGES, handle, sort_keys=False)
    with open(".gitignore", "a") as handle:
        handle.write("/model.joblib\n")
    repo.index.add(["release.py", "fit_knn.py", "dvc.yaml", ".gitignore", ".dvc/config", ".dvc/.gitignore", ".dvcignore"])
    repo.index.commit("Code and the DVC pipeline")
    for k in (3, 7):
        print(f"rmse_k{k}: {release(repo, k):.4f}")


if __name__ == "__main__":
    main()
