# mutant: the fit stage does not declare knn.k, so DVC sees nothing changed for k=7 and does not retrain
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
        name="fit", cmd="python3 fit_knn.py", deps=["fit_knn.py"],
        outs=["model.joblib"], metrics_no_cache=["metrics.json"], force=True,
    )
    dvc.reproduce("fit")
    repo.git.add(all=True)
    repo.index.commit(f"KNN regressor with k={k}")
    repo.create_tag(f"model-k{k}")
    with open("metrics.json") as handle:
        print(f"rmse_k{k}: {json.load(handle)['rmse']:.4f}")
