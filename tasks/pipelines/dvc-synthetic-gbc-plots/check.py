"""dvc-synthetic-gbc-plots: prepare, featurize (SelectKBest), train (gradient boosting) and
evaluate stages, params in params.yaml, committed as the baseline; evaluate writes the
metrics file eval/metrics.json and the plot eval/roc.csv. Experiment k4-fast sets two
params at once; an `after` experiment with featurize.k = 12 shows DVC reruns the pipeline
from its params. Metrics and the ROC curve are recomputed here from each commit's params."""
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_csv, dvc_experiments, dvc_params, dvc_repo,
    require_after_success, require_curve, require_pipeline, require_plots, require_success,
)

PROBE = "dvc exp run --set-param featurize.k=12 --name probe"
BASELINE = {"prepare.n_samples": 600, "prepare.test_size": 0.3, "prepare.seed": 7, "featurize.k": 8,
            "train.n_estimators": 60, "train.learning_rate": 0.1, "train.max_depth": 2, "train.seed": 0}
EXPERIMENT = {"featurize.k": 4, "train.learning_rate": 0.3}


def test_scores(p):
    """The test labels and the model's positive-class probabilities for the params `p`."""
    seed = int(p["prepare.seed"])
    X, y = make_classification(n_samples=int(p["prepare.n_samples"]), n_features=20, n_informative=6,
                               n_redundant=4, flip_y=0.05, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=p["prepare.test_size"], random_state=seed,
                                                        stratify=y)
    selector = SelectKBest(f_classif, k=int(p["featurize.k"])).fit(X_train, y_train)
    model = GradientBoostingClassifier(n_estimators=int(p["train.n_estimators"]),
                                       learning_rate=p["train.learning_rate"], max_depth=int(p["train.max_depth"]),
                                       random_state=int(p["train.seed"]))
    model.fit(selector.transform(X_train), y_train)
    return y_test, model.predict_proba(selector.transform(X_test))[:, 1], model.predict(selector.transform(X_test))


def metrics(p):
    y_test, scores, predicted = test_scores(p)
    return {"accuracy": accuracy_score(y_test, predicted), "roc_auc": roc_auc_score(y_test, scores)}


def check_roc(rev, what):
    """eval/roc.csv at `rev` is the test ROC curve of the params at `rev`."""
    y_test, scores, _ = test_scores(dvc_params(rev))
    full = list(zip(*roc_curve(y_test, scores, drop_intermediate=False)[:2]))
    kept = list(zip(*roc_curve(y_test, scores)[:2]))
    require_curve(dvc_csv("eval/roc.csv", rev), "fpr", "tpr", full, kept, f"eval/roc.csv of {what}")


require_success()
assert_same_score("accuracy", abs_=1e-4)
assert_same_score("roc_auc", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "prepare": dict(deps=["train.py"], outs=["data/prepared.npz"],
                        params=["prepare.n_samples", "prepare.test_size", "prepare.seed"]),
        "featurize": dict(deps=["train.py", "data/prepared.npz"], outs=["data/features.npz"], params=["featurize.k"]),
        "train": dict(deps=["train.py", "data/features.npz"], outs=["model.joblib"],
                      params=["train.n_estimators", "train.learning_rate", "train.max_depth", "train.seed"]),
        "evaluate": dict(deps=["train.py", "data/features.npz", "model.joblib"],
                         metrics=["eval/metrics.json"], outs=["eval/roc.csv"]),
    },
    chain=["prepare", "featurize", "train", "evaluate"],
    params_file="params.yaml",
)
require_plots(repo, ["eval/roc.csv"])
found = check_experiments(repo, baseline=BASELINE, experiments={"k4-fast": EXPERIMENT}, metrics=metrics)
base_rev, rev = found["k4-fast"]
check_roc(base_rev, "the baseline commit")
check_roc(rev, "experiment 'k4-fast'")
require_after_success(PROBE)
check_probe(repo, "probe", {"featurize.k": 12}, metrics)
check_roc(dvc_experiments(repo)["probe"][1], "experiment 'probe' (run by DVC after the program)")
print("ok")
