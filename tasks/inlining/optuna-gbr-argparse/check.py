"""optuna-gbr-argparse: with default arguments the script stores study gbr-synthetic in
sqlite:///optuna.db (6 TPE(seed=0) trials, minimise), and the printed rmse is that of the
GradientBoostingRegressor refit with the best parameters."""
import numpy as np
from optuna.distributions import FloatDistribution, IntDistribution
from sklearn.datasets import make_regression
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

from benchcheck import check_optuna_task

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "gbr-synthetic", "sqlite:///optuna.db", 6, 0, "minimize"
SPACE = {
    "learning_rate": FloatDistribution(0.01, 0.3, log=True),
    "max_depth": IntDistribution(2, 5),
    "n_estimators": IntDistribution(50, 150, step=25),
}


def split():
    X, y = make_regression(n_samples=400, n_features=10, noise=10.0, random_state=0)
    return train_test_split(X, y, test_size=0.25, random_state=0)


def make_model(params):
    return GradientBoostingRegressor(random_state=0, **params)


def metric(model, X, y):
    """The score the objective and the program report."""
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"rmse": metric(model, X, y)}


def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
    return metric(make_model(params).fit(X_tr, y_tr), X_val, y_val)


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)
print("ok")
