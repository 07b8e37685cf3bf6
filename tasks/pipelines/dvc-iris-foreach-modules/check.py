"""dvc-iris-foreach-modules: a split stage and one train stage per model (train@knn,
train@tree: several stages from one definition), params nested per model in params.yaml,
committed as the baseline; experiment one-nn sets models.knn.n_neighbors = 1; an `after`
experiment with models.tree.max_depth = 1 shows DVC reruns the pipeline from its params.
Metrics are recomputed here from each commit's params."""
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_repo, require_after_success, require_pipeline,
    require_success,
)

PROBE = "dvc exp run --set-param models.tree.max_depth=1 --name probe"
BASELINE = {"split.test_size": 0.5, "split.seed": 3, "models.knn.n_neighbors": 9, "models.knn.weights": "distance",
            "models.tree.max_depth": 3, "models.tree.min_samples_leaf": 4, "models.tree.seed": 0}
KINDS = ("knn", "tree")


def metrics(p):
    """Each model's scores, under the keys DVC gives two metrics files with the same names."""
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=p["split.test_size"], random_state=int(p["split.seed"]), stratify=y)
    models = {
        "knn": KNeighborsClassifier(n_neighbors=int(p["models.knn.n_neighbors"]), weights=p["models.knn.weights"]),
        "tree": DecisionTreeClassifier(max_depth=int(p["models.tree.max_depth"]),
                                       min_samples_leaf=int(p["models.tree.min_samples_leaf"]),
                                       random_state=int(p["models.tree.seed"])),
    }
    scores = {}
    for kind, model in models.items():
        predicted = model.fit(X_train, y_train).predict(X_test)
        scores[f"metrics/{kind}.json:accuracy"] = accuracy_score(y_test, predicted)
        scores[f"metrics/{kind}.json:f1_macro"] = f1_score(y_test, predicted, average="macro")
    return scores


require_success()
for kind in KINDS:
    assert_same_score(f"{kind}_accuracy", abs_=1e-4)
    assert_same_score(f"{kind}_f1_macro", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "split": dict(deps=["train.py", "data.py"], outs=["data/split.npz"],
                      params=["split.test_size", "split.seed"]),
        **{f"train@{kind}": dict(deps=["train.py", "models.py", "data/split.npz"], outs=[f"models/{kind}.joblib"],
                                 metrics=[f"metrics/{kind}.json"],
                                 params=[key for key in BASELINE if key.startswith(f"models.{kind}.")])
           for kind in KINDS},
    },
    chain=["split", "train@knn"],
    params_file="params.yaml",
)
require_pipeline(repo, {}, chain=["split", "train@tree"])
check_experiments(repo, baseline=BASELINE, experiments={"one-nn": {"models.knn.n_neighbors": 1}}, metrics=metrics)
require_after_success(PROBE)
check_probe(repo, "probe", {"models.tree.max_depth": 1}, metrics)
print("ok")
