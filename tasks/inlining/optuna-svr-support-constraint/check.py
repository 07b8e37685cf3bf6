"""optuna-svr-support-constraint: the study svr-friedman3 in sqlite:///svr.db minimises the
validation MAE over 14 trials (the first 10 are TPESampler(seed=2)'s random start); every
trial carries, as Optuna's own constraint, its support-vector share minus 0.4, and the
study's best trial, the printed best params and infeasible trials follow from them."""
import math

from optuna.distributions import FloatDistribution
from optuna.samplers import TPESampler
from sklearn.datasets import make_friedman3
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split

from benchcheck import (
    fail, load_any_study, printed_best_params, printed_list, program_output, require_constraints,
    require_sampled_by, require_success, require_values, same_params, score, sorted_trials,
)

from train import make_model, parse_args, support_share  # the unmodified program's model

MAX_SUPPORT_SHARE, N_TRIALS = 0.4, 14
SPACE = {"C": FloatDistribution(0.1, 100.0, log=True), "epsilon": FloatDistribution(0.01, 0.3, log=True),
         "gamma": FloatDistribution(0.01, 1.0, log=True)}

seed = parse_args([]).seed
X, y = make_friedman3(n_samples=600, noise=0.1, random_state=seed)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
fitted = {}


def fit(params):
    key = tuple(sorted(params.items()))
    if key not in fitted:
        fitted[key] = make_model(**params).fit(X_tr, y_tr)
    return fitted[key]


require_success()
out = program_output()
if score(out, "n_train") != len(X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train')}, expected {len(X_train)}")
study = load_any_study("svr-friedman3", "sqlite:///svr.db")
if study.direction.name != "MINIMIZE":
    fail(f"the study's direction is {study.direction.name}, expected minimize")
trials = sorted_trials(study, N_TRIALS, space=SPACE)
require_sampled_by(trials[:10], lambda: TPESampler(seed=2), SPACE, "TPESampler(seed=2)")
require_values(trials, lambda p: [mean_absolute_error(y_val, fit(p).predict(X_val))], "the validation MAE", rel=1e-6)
infeasible = require_constraints(
    trials, lambda t: [support_share(fit(t.params), len(X_tr)) - MAX_SUPPORT_SHARE])
if not infeasible:
    fail("no trial is infeasible: the constraint never bound")  # a broken task, not a program's fault
if printed_list(out, "infeasible_trials") != infeasible:
    fail(f"printed infeasible_trials {printed_list(out, 'infeasible_trials')}, the trials' constraints give {infeasible}")

feasible = [t for t in trials if t.number not in infeasible]
best = min(feasible, key=lambda t: (t.value, t.number))
if study.best_trial.number != best.number:
    fail(f"the study's best trial is {study.best_trial.number}, the best feasible trial is {best.number}")
if not same_params(printed_best_params(out), best.params):
    fail(f"printed best params {printed_best_params(out)} are not the best feasible trial's {best.params}")
model = make_model(**best.params).fit(X_train, y_train)
predictions = model.predict(X_test)
for name, value in (("mae", mean_absolute_error(y_test, predictions)),
                    ("rmse", mean_squared_error(y_test, predictions) ** 0.5),
                    ("support_share", support_share(model, len(X_train)))):
    if not math.isclose(score(out, name), value, abs_tol=1e-4):
        fail(f"printed {name} {score(out, name)} is not that of the refit best model ({value:.4f})")
print("ok")
