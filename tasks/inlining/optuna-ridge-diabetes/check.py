"""optuna-ridge-diabetes: the study in sqlite:///optuna.db minimised RMSE over alpha in 10
TPE(seed=1) trials, and the printed rmse is that of Ridge refit with the best alpha."""
import numpy as np
from optuna.distributions import FloatDistribution
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

from benchcheck import check_optuna_task

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "diabetes-ridge", "sqlite:///optuna.db", 10, 1, "minimize"
SPACE = {"alpha": FloatDistribution(1e-4, 10.0, log=True)}


def split():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=0)


def make_model(params):
    return Ridge(**params)


def metric(model, X, y):
    """The score the objective and the program report."""
    return float(np.sqrt(mean_squared_error(y, model.predict(X))))


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"rmse": metric(model, X, y)}


def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=1)
    return metric(make_model(params).fit(X_tr, y_tr), X_val, y_val)


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)
print("ok")
