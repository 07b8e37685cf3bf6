# alternative: dvc.yaml written by hand, DVC's command-line entry point called in-process, git through its command line, functions
import os
import subprocess
from pathlib import Path

import yaml
from dvc.cli import main as dvc_main
from sklearn.datasets import load_linnerud

DATA = "data/linnerud.csv"
PIPELINE = """\
stages:
  fit:
    cmd: python3 fit.py
    deps: [fit.py, data/linnerud.csv]
    outs: [model.pkl]
    metrics:
      - metrics.yaml:
          cache: false
"""


def dvc(*args):
    if dvc_main(list(args)) != 0:
        raise SystemExit(f"dvc {' '.join(args)} failed")


def git(*args):
    subprocess.run(["git", *args], check=True)


def main():
    git("init", "--quiet")
    dvc("init", "--quiet")
    os.makedirs("data", exist_ok=True)
    load_linnerud(as_frame=True).frame.to_csv(DATA, index=False)
    dvc("add", "--quiet", DATA)
    Path("dvc.yaml").write_text(PIPELINE)
    dvc("repro", "--quiet", "fit")
    git("add", "--all")
    git("commit", "--quiet", "-m", "Linnerud ridge model, versioned with DVC")
    git("tag", "--annotate", "release", "-m", "Multi-output ridge on linnerud")
    r2 = yaml.safe_load(Path("metrics.yaml").read_text())["r2"]
    print(f"r2: {r2:.4f}")


if __name__ == "__main__":
    main()
