# alternative: the dvc command line through subprocess (the stage defined once by its `stage add` command, before the loop), git through its command line
"""Train one KNN model per k through a DVC stage and release each as a tagged commit."""
import json
import subprocess

import yaml


def sh(*command):
    subprocess.run(command, check=True)


def write_params(k):
    with open("params.yaml", "w") as handle:
        yaml.safe_dump({"knn": {"k": k}}, handle)


sh("git", "init", "--quiet")
sh("dvc", "init", "--quiet")
write_params(3)
sh("dvc", "stage", "add", "-n", "fit", "-d", "fit_knn.py", "-p", "knn.k", "-o", "model.joblib",
   "-M", "metrics.json", "python3 fit_knn.py")

for k in (3, 7):
    write_params(k)
    sh("dvc", "repro", "--quiet", "fit")
    sh("git", "add", "--all")
    sh("git", "commit", "--quiet", "-m", f"KNN regressor with k={k}")
    sh("git", "tag", f"model-k{k}")
    with open("metrics.json") as handle:
        print(f"rmse_k{k}: {json.load(handle)['rmse']:.4f}")
