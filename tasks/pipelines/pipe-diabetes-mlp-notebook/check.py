"""pipe-diabetes-mlp-notebook: the notebook-like script as prepare, train and evaluate
stages, params in params.yaml, committed as the baseline; train outputs the model and the
training loss by epoch as a DVC plot (plots/loss.csv), evaluate the metrics; experiment
wide sets train.hidden = 64; an `after` experiment with train.epochs = 40 and one with a
changed split param show DVC reruns the pipeline from its params. Metrics and loss curves
are recomputed here from each commit's params, and the loss curve is read back through
DVC's plots."""
import math
import warnings

import numpy as np
from benchcheck import (
    assert_same_score,
    check_experiments,
    check_probe,
    dvc_experiments,
    dvc_params,
    dvc_repo,
    fail,
    require_after_success,
    require_pipeline,
    require_success,
)
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

PROBE = "dvc exp run --set-param train.epochs=40 --name probe"
PROBE_SPLIT = "dvc exp run --set-param prepare.test_size=0.3 --name probe-split"
BASELINE = {"prepare.test_size": 0.2, "prepare.seed": 1, "train.hidden": 32, "train.alpha": 0.01,
            "train.learning_rate": 0.01, "train.epochs": 150}
PLOT = "plots/loss.csv"


def fit(p):
    """The original script's MLP for the params `p` (dotted keys): (its test scores, its loss curve)."""
    seed = int(p["prepare.seed"])
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=p["prepare.test_size"], random_state=seed)
    scaler = StandardScaler().fit(X_train)
    mlp = MLPRegressor(hidden_layer_sizes=(int(p["train.hidden"]),), alpha=p["train.alpha"],
                       learning_rate_init=p["train.learning_rate"], max_iter=int(p["train.epochs"]), random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(scaler.transform(X_train), y_train)
    predicted = mlp.predict(scaler.transform(X_test))
    return ({"rmse": float(np.sqrt(mean_squared_error(y_test, predicted))), "r2": r2_score(y_test, predicted)},
            list(mlp.loss_curve_))


def metrics(p):
    return fit(p)[0]


def require_loss_plot(repo, rev: str, what: str) -> None:
    """DVC shows plots/loss.csv at `rev` as a plot (a stage's plots output or a plot of
    dvc.yaml's plots section), one row per epoch 1..n with the loss the params give."""
    try:
        shown = repo.plots.show(revs=[rev])
    except Exception as error:  # noqa: BLE001  a broken dvc.yaml or revision
        fail(f"{what}: DVC cannot show the plots: {type(error).__name__}: {error}")
    source = (((shown.get(rev) or {}).get("sources") or {}).get("data") or {}).get(PLOT) or {}
    rows = source.get("data")
    if not isinstance(rows, list) or not rows:
        fail(f"{what}: DVC shows no plot {PLOT}: declare it to DVC as a plot (error: {source.get('error')})")
    try:
        epochs = [int(float(row["epoch"])) for row in rows]
        losses = [float(row["loss"]) for row in rows]
    except (KeyError, TypeError, ValueError) as error:
        fail(f"{what}: {PLOT} needs the columns epoch and loss with numbers ({type(error).__name__}: {error})")
    expected = fit(dvc_params(rev))[1]
    if epochs != list(range(1, len(expected) + 1)):
        fail(f"{what}: {PLOT} has epochs {epochs[:3]}...{epochs[-1:]} ({len(epochs)} rows), "
             f"the MLP with these params trains {len(expected)} epochs, numbered from 1")
    for epoch, (have, want) in enumerate(zip(losses, expected), start=1):
        if not math.isclose(have, want, rel_tol=1e-6, abs_tol=1e-6):
            fail(f"{what}: {PLOT} gives the loss {have} at epoch {epoch}, the MLP with these params {want}")


require_success()
assert_same_score("rmse", abs_=1e-4)
assert_same_score("r2", abs_=1e-4)

repo = dvc_repo()
require_pipeline(
    repo,
    {
        "prepare": dict(deps=["train.py"], outs=["data/prepared.npz"], params=["prepare.test_size", "prepare.seed"]),
        "train": dict(deps=["train.py", "data/prepared.npz"], outs=["mlp.joblib", PLOT],
                      params=["train.hidden", "train.alpha", "train.learning_rate", "train.epochs", "prepare.seed"]),
        "evaluate": dict(deps=["train.py", "data/prepared.npz", "mlp.joblib"], metrics=["metrics.json"]),
    },
    chain=["prepare", "train", "evaluate"],
    commands={name: f"python3 train.py {name}" for name in ("prepare", "train", "evaluate")},
    params_file="params.yaml",
)
found = check_experiments(repo, baseline=BASELINE, experiments={"wide": {"train.hidden": 64}}, metrics=metrics)
require_loss_plot(repo, found["wide"][0], "the baseline commit")
require_loss_plot(repo, found["wide"][1], "experiment 'wide'")
require_after_success(PROBE)
check_probe(repo, "probe", {"train.epochs": 40}, metrics)
require_loss_plot(repo, dvc_experiments(repo)["probe"][1], "experiment 'probe'")
require_after_success(PROBE_SPLIT)
check_probe(repo, "probe-split", {"prepare.test_size": 0.3}, metrics)
print("ok")
