"""Write the iris data set, train a model and version everything with git."""
import os

import git
from sklearn.datasets import load_iris

import train

repo = git.Repo.init(".")

os.makedirs("data", exist_ok=True)
load_iris(as_frame=True).frame.to_csv("data/iris.csv", index=False)
repo.index.add(["data/iris.csv"])
repo.index.commit("Add iris data set")

metrics = train.main()
repo.index.add(["pipeline.py", "train.py", "model.pkl", "metrics.json"])
repo.index.commit("Train logistic regression")
repo.create_tag("v1")

print(f"accuracy: {metrics['accuracy']:.4f}")
