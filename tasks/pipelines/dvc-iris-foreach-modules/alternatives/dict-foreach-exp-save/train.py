# alternative: `foreach` over a mapping (each model's outputs given as its values, `${key}` in the command),
# the DVC Python API; the experiment made by editing params.yaml, reproducing and saving the workspace
"""Compare a nearest-neighbours classifier and a decision tree on the iris data, as a DVC
pipeline.

`python3 train.py` builds and runs the pipeline and one experiment;
`python3 train.py split` and `python3 train.py train <kind>` run one stage."""
import json
import sys
from pathlib import Path

import joblib
import numpy as np
import yaml
from dvc.repo import Repo as DvcRepo
from git import Repo as GitRepo
from sklearn.metrics import accuracy_score, f1_score

from data import load_split
from models import make_model


class IrisPipeline:
    params_path = Path("params.yaml")
    defaults = {
        "split": {"test_size": 0.5, "seed": 3},
        "models": {
            "knn": {"n_neighbors": 9, "weights": "distance"},
            "tree": {"max_depth": 3, "min_samples_leaf": 4, "seed": 0},
        },
    }

    def params(self):
        return yaml.safe_load(self.params_path.read_text())

    def split(self):
        p = self.params()["split"]
        parts = load_split(p["test_size"], p["seed"])
        Path("data").mkdir(exist_ok=True)
        np.savez("data/split.npz", **dict(zip(("X_train", "X_test", "y_train", "y_test"), parts)))

    def train(self, kind):
        data = np.load("data/split.npz")
        model = make_model(kind, self.params()["models"][kind]).fit(data["X_train"], data["y_train"])
        for folder in ("models", "metrics"):
            Path(folder).mkdir(exist_ok=True)
        joblib.dump(model, f"models/{kind}.joblib")
        predicted = model.predict(data["X_test"])
        scores = {"accuracy": accuracy_score(data["y_test"], predicted),
                  "f1_macro": f1_score(data["y_test"], predicted, average="macro")}
        Path(f"metrics/{kind}.json").write_text(json.dumps(scores))

    def pipeline(self):
        return {"stages": {
            "split": {"cmd": "python3 train.py split", "deps": ["train.py", "data.py"],
                      "params": [{"params.yaml": ["split.test_size", "split.seed"]}], "outs": ["data/split.npz"]},
            "train": {
                "foreach": {kind: {"model": f"models/{kind}.joblib", "scores": f"metrics/{kind}.json"}
                            for kind in self.defaults["models"]},
                "do": {"cmd": "python3 train.py train ${key}",
                       "deps": ["train.py", "models.py", "data/split.npz"],
                       "params": ["models.${key}"],
                       "outs": ["${item.model}"],
                       "metrics": [{"${item.scores}": {"cache": False}}]},
            },
        }}

    def build(self):
        git = GitRepo.init(".")
        dvc = DvcRepo.init(".")
        self.params_path.write_text(yaml.safe_dump(self.defaults))
        Path("dvc.yaml").write_text(yaml.safe_dump(self.pipeline()))
        dvc.reproduce()
        git.git.add(all=True)
        git.index.commit("baseline")
        for kind in self.defaults["models"]:
            scores = json.loads(Path(f"metrics/{kind}.json").read_text())
            print(f"{kind}_accuracy: {scores['accuracy']:.4f}")
            print(f"{kind}_f1_macro: {scores['f1_macro']:.4f}")
        changed = self.params()
        changed["models"]["knn"]["n_neighbors"] = 1
        self.params_path.write_text(yaml.safe_dump(changed))
        dvc.reproduce()
        dvc.experiments.save(name="one-nn")


if __name__ == "__main__":
    pipeline = IrisPipeline()
    if len(sys.argv) == 1:
        pipeline.build()
    else:
        getattr(pipeline, sys.argv[1])(*sys.argv[2:])
