"""optuna-logreg-iris: the study in sqlite:///optuna.db has 8 TPE(seed=0) trials over C,
and the printed accuracy is that of LogisticRegression refit with the best C."""
from optuna.distributions import FloatDistribution
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

from benchcheck import check_optuna_task

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "iris-logreg", "sqlite:///optuna.db", 8, 0, "maximize"
SPACE = {"C": FloatDistribution(1e-3, 100, log=True)}


def split():
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=42, stratify=y)


def make_model(params):
    return LogisticRegression(max_iter=1000, **params)


def metric(model, X, y):
    """The score the objective and the program report."""
    return accuracy_score(y, model.predict(X))


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"accuracy": metric(model, X, y), "log_loss": log_loss(y, model.predict_proba(X))}


def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
    return metric(make_model(params).fit(X_tr, y_tr), X_val, y_val)


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)
print("ok")
