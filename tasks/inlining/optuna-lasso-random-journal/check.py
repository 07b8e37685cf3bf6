"""optuna-lasso-random-journal: the study lasso-diabetes in the journal file
optuna_journal.log has 12 trials sampled by RandomSampler(seed=21) over alpha and
selection; each value is the validation RMSE; the printed scores are the refit model's."""
import math

from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.samplers import RandomSampler
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split

from benchcheck import (
    fail, journal_storage, load_any_study, printed_best_params, program_output, require_sampled_by,
    require_success, same_params, score, sorted_trials,
)

SPACE = {"alpha": FloatDistribution(1e-3, 10.0, log=True), "selection": CategoricalDistribution(["cyclic", "random"])}

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=8)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.3, random_state=0)


def fit(params, X_fit, y_fit):
    return Lasso(**params, max_iter=5000, random_state=0).fit(X_fit, y_fit)


require_success()
out = program_output()
if score(out, "n_train") != len(X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train')}, expected {len(X_train)}")
study = load_any_study("lasso-diabetes", journal_storage("optuna_journal.log"))
if study.direction.name != "MINIMIZE":
    fail(f"the study's direction is {study.direction.name}, expected minimize")
trials = sorted_trials(study, 12, space=SPACE)
require_sampled_by(trials, lambda: RandomSampler(seed=21), SPACE, "RandomSampler(seed=21)")
for t in trials:
    rmse = mean_squared_error(y_val, fit(t.params, X_tr, y_tr).predict(X_val)) ** 0.5
    if not math.isclose(t.value, rmse, rel_tol=1e-6):
        fail(f"trial {t.number}'s value {t.value} is not the validation RMSE of its params ({rmse})")
best = printed_best_params(out)
if not same_params(best, study.best_params):
    fail(f"printed best params {best} differ from the study's {study.best_params}")
predictions = fit(study.best_params, X_train, y_train).predict(X_test)
for name, value in (("rmse", mean_squared_error(y_test, predictions) ** 0.5),
                    ("mae", mean_absolute_error(y_test, predictions))):
    if not math.isclose(score(out, name), value, abs_tol=1e-4):
        fail(f"printed {name} {score(out, name)} is not that of the refit best model ({value:.4f})")
print("ok")
