"""optuna-knn-grid-wine: the study wine-knn-grid in sqlite:///optuna.db tried each of the 10
points of the grid once, in the order GridSampler(seed=0) visits them; each value is the
4-fold CV accuracy; the printed accuracy is the refit best model's."""
import math

from optuna.distributions import CategoricalDistribution
from optuna.samplers import GridSampler
from sklearn.datasets import load_wine
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from benchcheck import (
    fail, load_any_study, printed_best_params, program_output, require_sampled_by, require_success, same_params,
    score, sorted_trials,
)

GRID = {"n_neighbors": [1, 3, 5, 9, 15], "weights": ["uniform", "distance"]}
SPACE = {name: CategoricalDistribution(values) for name, values in GRID.items()}

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)


def pipeline(params):
    return make_pipeline(StandardScaler(), KNeighborsClassifier(**params))


require_success()
out = program_output()
if score(out, "n_train") != len(X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train')}, expected {len(X_train)}")
study = load_any_study("wine-knn-grid", "sqlite:///optuna.db")
if study.direction.name != "MAXIMIZE":
    fail(f"the study's direction is {study.direction.name}, expected maximize")
trials = sorted_trials(study, 10, space=SPACE)
require_sampled_by(trials, lambda: GridSampler(GRID, seed=0), SPACE, "GridSampler over the grid, seed 0")
for t in trials:
    cv = cross_val_score(pipeline(t.params), X_train, y_train, cv=4).mean()
    if not math.isclose(t.value, cv, rel_tol=1e-9):
        fail(f"trial {t.number}'s value {t.value} is not the 4-fold CV accuracy of its params ({cv})")
best = printed_best_params(out)
if not same_params(best, study.best_params):
    fail(f"printed best params {best} differ from the study's {study.best_params}")
expected = pipeline(study.best_params).fit(X_train, y_train).score(X_test, y_test)
if not math.isclose(score(out, "accuracy"), expected, abs_tol=1e-4):
    fail(f"printed accuracy {score(out, 'accuracy')} is not that of the refit best model ({expected:.4f})")
print("ok")
