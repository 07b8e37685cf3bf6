"""dvc-diabetes-ridge-argparse: split, featurize, train and evaluate stages of train.py
(any command line), params in params.yaml, committed as the baseline; experiment linear
sets featurize.degree = 1; an `after` experiment with train.alpha = 100 shows DVC reruns
the pipeline from its params. Metrics are recomputed here from each commit's params."""
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from benchcheck import (
    assert_same_score, check_experiments, check_probe, dvc_repo, require_after_success, require_pipeline,
    require_success,
)

PROBE = "dvc exp run --set-param train.alpha=100 --name probe"
BASELINE = {"split.test_size": 0.2, "split.seed": 3, "featurize.degree": 2, "train.alpha": 30.0}


def metrics(p):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=p["split.test_size"], random_state=int(p["split.seed"]))
    features = make_pipeline(StandardScaler(), PolynomialFeatures(degree=int(p["featurize.degree"]), include_bias=False))
    model = Ridge(alpha=p["train.alpha"]).fit(features.fit_transform(X_train), y_train)
    predictions = model.predict(features.transform(X_test))
    return {"rmse": mean_squared_error(y_test, predictions) ** 0.5, "r2": r2_score(y_test, predictions)}


require_success()
assert_same_score("rmse", abs_=1e-4)
assert_same_score("r2", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "split": dict(deps=["train.py"], outs=["data/split"], params=["split.test_size", "split.seed"]),
        "featurize": dict(deps=["train.py", "data/split"], outs=["data/features"], params=["featurize.degree"]),
        "train": dict(deps=["train.py", "data/features"], outs=["model.pkl"], params=["train.alpha"]),
        "evaluate": dict(deps=["train.py", "data/features", "model.pkl"], metrics=["scores.json"]),
    },
    chain=["split", "featurize", "train", "evaluate"],
    params_file="params.yaml",
)
check_experiments(repo, baseline=BASELINE, experiments={"linear": {"featurize.degree": 1}}, metrics=metrics)
require_after_success(PROBE)
check_probe(repo, "probe", {"train.alpha": 100}, metrics)
print("ok")
