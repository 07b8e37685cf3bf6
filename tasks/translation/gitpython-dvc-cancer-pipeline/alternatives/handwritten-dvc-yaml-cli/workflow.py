# alternative: dvc.yaml written as text, `dvc repro` and git through their command lines, a main() function
"""Run the breast cancer workflow as a hand-written DVC pipeline and commit its metafiles."""
import json
import os
import subprocess
from pathlib import Path

from sklearn.datasets import load_breast_cancer

PIPELINE = """\
stages:
  prepare:
    cmd: python3 steps.py prepare
    deps: [steps.py, data/raw.csv]
    outs: [data/prepared]
  train:
    cmd: python3 steps.py train
    deps: [steps.py, data/prepared]
    outs: [model.pkl]
    metrics:
      - metrics.json:
          cache: false
"""


def run(*command):
    subprocess.run(command, check=True)


def main():
    run("git", "init", "--quiet")
    run("dvc", "init", "--quiet")
    os.makedirs("data", exist_ok=True)
    load_breast_cancer(as_frame=True).frame.to_csv("data/raw.csv", index=False)
    run("dvc", "add", "--quiet", "data/raw.csv")
    Path("dvc.yaml").write_text(PIPELINE)
    run("dvc", "repro", "--quiet")
    run("git", "add", "workflow.py", "steps.py", "dvc.yaml", "dvc.lock", "metrics.json", ".gitignore",
        ".dvc", "data/raw.csv.dvc", "data/.gitignore")
    run("git", "commit", "--quiet", "-m", "Breast cancer pipeline under DVC")
    run("git", "tag", "pipeline-v1")
    metrics = json.loads(Path("metrics.json").read_text())
    print(f"accuracy: {metrics['accuracy']:.4f}")
    print(f"f1: {metrics['f1']:.4f}")


if __name__ == "__main__":
    main()
