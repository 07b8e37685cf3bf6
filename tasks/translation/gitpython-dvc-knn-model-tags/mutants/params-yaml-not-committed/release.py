# mutant: commits only dvc.yaml, dvc.lock and the metrics, not params.yaml, with each release
"""Train one KNN model per k through a DVC stage and release each as a tagged commit."""
import json

import git
import yaml
from dvc.repo import Repo

repo = git.Repo.init(".")
dvc = Repo.init(".")

for k in (3, 7):
    with open("params.yaml", "w") as handle:
        yaml.safe_dump({"knn": {"k": k}}, handle)
    dvc.stage.add(
        name="fit", cmd="python3 fit_knn.py", deps=["fit_knn.py"], params=["knn.k"],
        outs=["model.joblib"], metrics_no_cache=["metrics.json"], force=True,
    )
    dvc.reproduce("fit")
    repo.index.add(["release.py", "fit_knn.py", "dvc.yaml", "dvc.lock", "metrics.json", ".gitignore", ".dvc/config"])
    repo.index.commit(f"KNN regressor with k={k}")
    repo.create_tag(f"model-k{k}")
    with open("metrics.json") as handle:
        print(f"rmse_k{k}: {json.load(handle)['rmse']:.4f}")
