"""pipe-wine-knn-subcommands: the subcommands split, fit and score as the stages of a DVC
pipeline with params in params.yaml (as templated options or read by the steps), score's
metrics.json declared as metrics, committed as the baseline; the experiment distance sets
fit.weights = distance; an `after` experiment with fit.n_neighbors = 3 and one with a
changed split param show DVC reruns the pipeline from its params. Metrics are recomputed
here from each commit's params."""
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_repo, fail, require_after_success, require_pipeline,
    require_success,
)
from benchcheck.pipelines import stage_words

PROBE = "dvc exp run --set-param fit.n_neighbors=3 --name probe"
PROBE_SPLIT = "dvc exp run --set-param split.seed=4 --name probe-split"
BASELINE = {"split.test_size": 0.5, "split.seed": 3, "fit.n_neighbors": 7, "fit.weights": "uniform"}
STAGES = ("split", "fit", "score")


def metrics(p):
    """What the original script prints, for the params `p` (dotted keys)."""
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=p["split.test_size"], random_state=int(p["split.seed"]), stratify=y)
    model = make_pipeline(StandardScaler(),
                          KNeighborsClassifier(n_neighbors=int(p["fit.n_neighbors"]), weights=p["fit.weights"]))
    predicted = model.fit(X_train, y_train).predict(X_test)
    return {"accuracy": accuracy_score(y_test, predicted), "f1_macro": f1_score(y_test, predicted, average="macro")}


require_success()
assert_same_score("accuracy", abs_=1e-4)
assert_same_score("f1_macro", abs_=1e-4)

repo = dvc_repo()
found = require_pipeline(
    repo,
    {
        "split": dict(deps=["train.py"], outs=["wine_split.npz"], params=["split.test_size", "split.seed"]),
        "fit": dict(deps=["train.py", "wine_split.npz"], outs=["knn.joblib"],
                    params=["fit.n_neighbors", "fit.weights"]),
        "score": dict(deps=["train.py", "wine_split.npz", "knn.joblib"], metrics=["metrics.json"]),
    },
    chain=STAGES,
    params_file="params.yaml",
)
# Any options may follow (templated from params.yaml or not): the stage is its subcommand.
for name in STAGES:
    words = stage_words(found[name])
    if words[:3] != ["python3", "train.py", name]:
        fail(f"stage `{name}` runs {found[name].cmd!r}, expected `python3 train.py {name} ...`")
check_experiments(repo, baseline=BASELINE, experiments={"distance": {"fit.weights": "distance"}}, metrics=metrics)
require_after_success(PROBE)
check_probe(repo, "probe", {"fit.n_neighbors": 3}, metrics)
require_after_success(PROBE_SPLIT)
check_probe(repo, "probe-split", {"split.seed": 4}, metrics)
print("ok")
