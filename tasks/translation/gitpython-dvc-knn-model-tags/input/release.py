"""Train one KNN model per k and release each as a tagged git commit."""
import git
import yaml

import fit_knn

repo = git.Repo.init(".")
repo.index.add(["release.py", "fit_knn.py"])
repo.index.commit("Code")

for k in (3, 7):
    with open("params.yaml", "w") as handle:
        yaml.safe_dump({"knn": {"k": k}}, handle)
    rmse = fit_knn.main()
    repo.index.add(["params.yaml", "model.joblib", "metrics.json"])
    repo.index.commit(f"KNN regressor with k={k}")
    repo.create_tag(f"model-k{k}")
    print(f"rmse_k{k}: {rmse:.4f}")
