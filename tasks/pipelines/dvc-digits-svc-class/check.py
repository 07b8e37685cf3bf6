"""dvc-digits-svc-class: prepare, reduce (PCA), train (SVC) and evaluate stages, each
`python3 train.py <stage>`, params in params.yaml, committed as the baseline; experiment
pca-8 sets reduce.n_components = 8; an `after` experiment with train.C = 0.1 shows DVC
reruns the pipeline from its params. Metrics are recomputed here from each commit's params."""
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_repo, require_after_success, require_pipeline,
    require_success,
)

PROBE = "dvc exp run --set-param train.C=0.1 --name probe"
BASELINE = {"prepare.test_size": 0.3, "prepare.seed": 0, "reduce.n_components": 24, "train.C": 5.0,
            "train.gamma": 0.02}


def metrics(p):
    X, y = load_digits(return_X_y=True)
    seed = int(p["prepare.seed"])
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, test_size=p["prepare.test_size"], random_state=seed, stratify=y)
    pca = PCA(n_components=int(p["reduce.n_components"]), random_state=seed)
    svc = SVC(C=p["train.C"], gamma=p["train.gamma"]).fit(pca.fit_transform(X_train), y_train)
    predicted = svc.predict(pca.transform(X_test))
    return {"accuracy": accuracy_score(y_test, predicted), "f1_macro": f1_score(y_test, predicted, average="macro")}


require_success()
assert_same_score("accuracy", abs_=1e-4)
assert_same_score("f1_macro", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "prepare": dict(deps=["train.py"], outs=["data/prepared"], params=["prepare.test_size", "prepare.seed"]),
        "reduce": dict(deps=["train.py", "data/prepared"], outs=["data/reduced"], params=["reduce.n_components"]),
        "train": dict(deps=["train.py", "data/reduced"], outs=["svc.joblib"], params=["train.C", "train.gamma"]),
        "evaluate": dict(deps=["train.py", "data/reduced", "svc.joblib"], metrics=["metrics.json"]),
    },
    chain=["prepare", "reduce", "train", "evaluate"],
    commands={name: f"python3 train.py {name}" for name in ("prepare", "reduce", "train", "evaluate")},
    params_file="params.yaml",
)
check_experiments(repo, baseline=BASELINE, experiments={"pca-8": {"reduce.n_components": 8}}, metrics=metrics)
require_after_success(PROBE)
check_probe(repo, "probe", {"train.C": 0.1}, metrics)
print("ok")
