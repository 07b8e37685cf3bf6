import os

import git
from sklearn.datasets import load_linnerud

import fit

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
load_linnerud(as_frame=True).frame.to_csv("data/linnerud.csv", index=False)
r2 = fit.fit()
repo.git.add("track.py", "fit.py", "data/linnerud.csv", "model.pkl", "metrics.yaml")
repo.index.commit("Linnerud ridge model")
repo.create_tag("release", message="Multi-output ridge on linnerud")
print(f"r2: {r2:.4f}")
