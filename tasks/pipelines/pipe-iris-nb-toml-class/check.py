"""pipe-iris-nb-toml-class: split, select (SelectKBest), train (GaussianNB) and evaluate
stages, each `python3 train.py <stage>`, their params declared from hparams.toml (no
params.yaml), committed as the baseline; experiment one-feature sets select.k = 1; an
`after` experiment with model.var_smoothing = 0.5 and one with a changed split param show
DVC reruns the pipeline from the TOML file. Metrics are recomputed here from each commit's
params."""
import os

from sklearn.datasets import load_iris
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_repo, fail, require_after_success, require_pipeline,
    require_success,
)

PROBE = "dvc exp run --set-param hparams.toml:model.var_smoothing=0.5 --name probe"
PROBE_SPLIT = "dvc exp run --set-param hparams.toml:split.seed=7 --name probe-split"
BASELINE = {"split.test_size": 0.4, "split.seed": 5, "select.k": 2, "model.var_smoothing": 1e-9}
STAGES = ("split", "select", "train", "evaluate")


def metrics(p):
    """What the original class prints, for the params `p` (dotted keys)."""
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=p["split.test_size"], random_state=int(p["split.seed"]), stratify=y)
    selector = SelectKBest(f_classif, k=int(p["select.k"])).fit(X_train, y_train)
    model = GaussianNB(var_smoothing=p["model.var_smoothing"]).fit(selector.transform(X_train), y_train)
    X_test = selector.transform(X_test)
    return {"accuracy": accuracy_score(y_test, model.predict(X_test)),
            "log_loss": log_loss(y_test, model.predict_proba(X_test))}


require_success()
assert_same_score("accuracy", abs_=1e-4)
assert_same_score("log_loss", abs_=1e-4)
if os.path.exists("params.yaml"):
    fail("params.yaml exists: the params belong in hparams.toml only")

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "split": dict(deps=["train.py"], outs=["artifacts/split.npz"], params=["split.test_size", "split.seed"]),
        "select": dict(deps=["train.py", "artifacts/split.npz"], outs=["artifacts/selected.npz"],
                       params=["select.k"]),
        "train": dict(deps=["train.py", "artifacts/selected.npz"], outs=["artifacts/nb.joblib"],
                      params=["model.var_smoothing"]),
        "evaluate": dict(deps=["train.py", "artifacts/selected.npz", "artifacts/nb.joblib"], metrics=["metrics.json"]),
    },
    chain=STAGES,
    commands={name: f"python3 train.py {name}" for name in STAGES},
    params_file="hparams.toml",
)
check_experiments(repo, baseline=BASELINE, experiments={"one-feature": {"select.k": 1}}, metrics=metrics)
require_after_success(PROBE)
check_probe(repo, "probe", {"model.var_smoothing": 0.5}, metrics)
require_after_success(PROBE_SPLIT)
check_probe(repo, "probe-split", {"split.seed": 7}, metrics)
print("ok")
