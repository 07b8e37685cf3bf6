"""Run the breast cancer workflow and commit what each step produced."""
import os

from git import Repo
from sklearn.datasets import load_breast_cancer

import steps

repo = Repo.init(".")
os.makedirs("data", exist_ok=True)
load_breast_cancer(as_frame=True).frame.to_csv("data/raw.csv", index=False)
repo.index.add(["data/raw.csv", "steps.py", "workflow.py"])
repo.index.commit("Raw data")

steps.prepare()
repo.index.add(["data/prepared/train.csv", "data/prepared/test.csv"])
repo.index.commit("Prepared split")

metrics = steps.train()
repo.index.add(["model.pkl", "metrics.json"])
repo.index.commit("Trained decision tree")
repo.create_tag("pipeline-v1")

print(f"accuracy: {metrics['accuracy']:.4f}")
print(f"f1: {metrics['f1']:.4f}")
