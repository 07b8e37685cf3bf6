"""dvc-wine-forest-config-json: prepare, train and evaluate stages; the settings are DVC
params under their config.json keys, in config.json or in another params file the stages
declare; experiment stumps sets forest.max_depth = 1; after the program, `dvc repro
--force` reruns the pipeline and its metrics must follow its params."""
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

from benchcheck import (
    assert_same_score, check_experiments, check_workspace, dvc_repo, require_after_success, require_pipeline,
    require_success,
)

BASELINE = {"split.test_size": 0.3, "split.seed": 1, "forest.n_estimators": 40, "forest.max_depth": 3,
            "forest.seed": 0}


def metrics(p):
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=p["split.test_size"], random_state=int(p["split.seed"]), stratify=y)
    forest = RandomForestClassifier(n_estimators=int(p["forest.n_estimators"]), max_depth=int(p["forest.max_depth"]),
                                    random_state=int(p["forest.seed"])).fit(X_train, y_train)
    return {"accuracy": accuracy_score(y_test, forest.predict(X_test)),
            "log_loss": log_loss(y_test, forest.predict_proba(X_test))}


require_success()
assert_same_score("accuracy", abs_=1e-4)
assert_same_score("log_loss", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "prepare": dict(deps=["train.py"], params=["split.test_size", "split.seed"]),
        "train": dict(deps=["train.py"], params=["forest.n_estimators", "forest.max_depth", "forest.seed"]),
        "evaluate": dict(deps=["train.py"], metrics=["metrics.json"]),
    },
    chain=["prepare", "train", "evaluate"],
)
check_experiments(repo, baseline=BASELINE, experiments={"stumps": {"forest.max_depth": 1}}, metrics=metrics)
require_after_success("dvc repro --force")
check_workspace(metrics)
print("ok")
