"""optuna-knn-digits: the study in sqlite:///optuna.db has 8 TPE(seed=11) trials over
n_neighbors, weights and p, and the printed accuracy is that of the k-NN refit with the
best parameters."""
from optuna.distributions import CategoricalDistribution, IntDistribution
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from benchcheck import check_optuna_task

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "digits-knn", "sqlite:///optuna.db", 8, 11, "maximize"
SPACE = {
    "n_neighbors": IntDistribution(1, 15),
    "weights": CategoricalDistribution(["uniform", "distance"]),
    "p": IntDistribution(1, 2),
}


def split():
    # Written out here rather than imported, so a changed data.py cannot move the target.
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.3, random_state=11, stratify=y)


def make_model(params):
    return KNeighborsClassifier(**params)


def metric(model, X, y):
    """The score the objective and the program report."""
    return accuracy_score(y, model.predict(X))


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"accuracy": metric(model, X, y), "log_loss": log_loss(y, model.predict_proba(X))}


def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
    return metric(make_model(params).fit(X_tr, y_tr), X_val, y_val)


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)
print("ok")
