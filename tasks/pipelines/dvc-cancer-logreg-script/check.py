"""dvc-cancer-logreg-script: a four-stage DVC pipeline (prepare, featurize, train,
evaluate) with params in params.yaml, committed as the baseline; the experiment
strong-reg sets train.C = 0.05; an `after` experiment with train.C = 0.3 shows DVC reruns
the pipeline from its params. Metrics are recomputed here from each commit's params."""
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_repo, require_after_success, require_pipeline,
    require_success,
)

PROBE = "dvc exp run --set-param train.C=0.3 --name probe"
BASELINE = {"prepare.test_size": 0.25, "prepare.seed": 42, "train.C": 1.0, "train.max_iter": 1000}


def metrics(p):
    """What the original script prints, for the params `p` (dotted keys)."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=p["prepare.test_size"], random_state=int(p["prepare.seed"]), stratify=y)
    scaler = StandardScaler().fit(X_train)
    model = LogisticRegression(C=p["train.C"], max_iter=int(p["train.max_iter"]))
    model.fit(scaler.transform(X_train), y_train)
    X_test = scaler.transform(X_test)
    return {"accuracy": accuracy_score(y_test, model.predict(X_test)),
            "log_loss": log_loss(y_test, model.predict_proba(X_test))}


require_success()
assert_same_score("accuracy", abs_=1e-4)
assert_same_score("log_loss", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "prepare": dict(deps=["train.py"], outs=["data/prepared"], params=["prepare.test_size", "prepare.seed"]),
        "featurize": dict(deps=["train.py", "data/prepared"], outs=["data/features"]),
        "train": dict(deps=["train.py", "data/features"], outs=["model.joblib"], params=["train.C", "train.max_iter"]),
        "evaluate": dict(deps=["train.py", "data/features", "model.joblib"], metrics=["metrics.json"]),
    },
    chain=["prepare", "featurize", "train", "evaluate"],
    commands={name: f"python3 train.py {name}" for name in ("prepare", "featurize", "train", "evaluate")},
    params_file="params.yaml",
)
check_experiments(repo, baseline=BASELINE, experiments={"strong-reg": {"train.C": 0.05}}, metrics=metrics)
require_after_success(PROBE)
check_probe(repo, "probe", {"train.C": 0.3}, metrics)
print("ok")
