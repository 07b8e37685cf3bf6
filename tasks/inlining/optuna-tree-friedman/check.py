"""optuna-tree-friedman: the study in sqlite:///hpo.db minimised validation MAE over
max_depth, min_samples_leaf (log) and criterion in 10 TPE(seed=3) trials, and the printed
mae is that of the tree refit with the best parameters."""
from optuna.distributions import CategoricalDistribution, IntDistribution
from sklearn.datasets import make_friedman1
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

from benchcheck import check_optuna_task

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "friedman-tree", "sqlite:///hpo.db", 10, 3, "minimize"
SPACE = {
    "max_depth": IntDistribution(2, 12),
    "min_samples_leaf": IntDistribution(1, 32, log=True),
    "criterion": CategoricalDistribution(["squared_error", "absolute_error"]),
}


def split():
    X, y = make_friedman1(n_samples=500, noise=1.0, random_state=3)
    return train_test_split(X, y, test_size=0.2, random_state=3)


def make_model(params):
    return DecisionTreeRegressor(random_state=3, **params)


def metric(model, X, y):
    """The score the objective and the program report."""
    return mean_absolute_error(y, model.predict(X))


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"mae": metric(model, X, y)}


def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=3)
    return metric(make_model(params).fit(X_tr, y_tr), X_val, y_val)


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)
print("ok")
