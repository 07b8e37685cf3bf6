"""optuna-forest-wine: the study in sqlite:///wine_study.db has 6 TPE(seed=7) trials over
n_estimators, max_depth and max_features, and the printed accuracy is that of the forest
refit with the best parameters."""
import math

import optuna
from optuna.distributions import CategoricalDistribution, IntDistribution
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

from benchcheck import check_optuna_task, fail

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "wine-forest", "sqlite:///wine_study.db", 6, 7, "maximize"
SPACE = {
    "n_estimators": IntDistribution(10, 80),
    "max_depth": IntDistribution(2, 10),
    "max_features": CategoricalDistribution(["sqrt", "log2", None]),
}


def split():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


def make_model(params):
    return RandomForestClassifier(random_state=0, **params)


def metric(model, X, y):
    """The score the objective and the program report."""
    return accuracy_score(y, model.predict(X))


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"accuracy": metric(model, X, y), "log_loss": log_loss(y, model.predict_proba(X))}


def objective_value(params, X_train, y_train):
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.3, random_state=0)
    return metric(make_model(params).fit(X_tr, y_tr), X_val, y_val)


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)

# Every trial, not only the best, must hold the described objective of its params: the
# validation accuracy takes few values (40 rows), so a forest with another random_state
# (RandomForestClassifier(random_state=42, ...) instead of self.build) can reach the same
# best value and pass the check above.
X_train, _, y_train, _ = split()
for trial in optuna.load_study(study_name=STUDY, storage=STORAGE).trials:
    value = objective_value(trial.params, X_train, y_train)
    if not math.isclose(value, trial.value, rel_tol=1e-6, abs_tol=1e-9):
        fail(f"trial {trial.number} {trial.params} has value {trial.value}, but the objective "
             f"described (self.build(**params), random_state=0) gives {value}")
print("ok")
