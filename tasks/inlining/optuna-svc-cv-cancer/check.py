"""optuna-svc-cv-cancer: the study in sqlite:///tuning.db maximised 3-fold CV accuracy over
C and gamma in 8 TPE(seed=3) trials, and the printed accuracy is that of the pipeline refit
with the best parameters."""
from optuna.distributions import FloatDistribution
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from benchcheck import check_optuna_task

STUDY, STORAGE, N_TRIALS, SEED, DIRECTION = "cancer-svc", "sqlite:///tuning.db", 8, 3, "maximize"
SPACE = {
    "C": FloatDistribution(0.01, 100, log=True),
    "gamma": FloatDistribution(1e-4, 0.1, log=True),
}


def split():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=3, stratify=y)


def make_model(params):
    return make_pipeline(StandardScaler(), SVC(**params))


def metric(model, X, y):
    """The score the objective and the program report."""
    return model.score(X, y)


def test_scores(model, X, y):
    """The lines the program prints for the final model on the test split."""
    return {"accuracy": metric(model, X, y), "n_support": float(model[-1].n_support_.sum())}


def objective_value(params, X_train, y_train):
    return cross_val_score(make_model(params), X_train, y_train, cv=3, scoring="accuracy").mean()


check_optuna_task(
    study=STUDY, storage=STORAGE, n_trials=N_TRIALS, seed=SEED, direction=DIRECTION, space=SPACE,
    split=split, make_model=make_model, objective_value=objective_value, test_scores=test_scores,
)
print("ok")
