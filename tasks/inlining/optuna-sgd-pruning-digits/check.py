"""optuna-sgd-pruning-digits: the study in sqlite:///optuna.db has 15 trials, complete or
pruned, sampled by TPE(seed=4); every trial reported its validation accuracy after each
epoch (steps 0..7), and the trials were pruned exactly where MedianPruner(3, 1) says;
the printed accuracy is that of the SGD classifier refit with the best params."""
import math

import numpy as np
from optuna.distributions import FloatDistribution
from optuna.pruners import MedianPruner
from optuna.samplers import TPESampler
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from benchcheck import (
    fail, load_any_study, printed_best_params, program_output, require_curves, require_pruned_by,
    require_sampled_by, require_success, same_params, score, sorted_trials,
)

EPOCHS = 8
SPACE = {"alpha": FloatDistribution(1e-6, 1e-1, log=True), "eta0": FloatDistribution(1e-4, 1.0, log=True)}

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0, stratify=y_train)
CLASSES = np.unique(y)


def epochs(params, X_fit, y_fit, X_eval, y_eval):
    """The accuracy on the evaluation rows after each epoch."""
    model = SGDClassifier(**params, learning_rate="constant", random_state=0)
    out = []
    for _ in range(EPOCHS):
        model.partial_fit(X_fit, y_fit, classes=CLASSES)
        out.append(accuracy_score(y_eval, model.predict(X_eval)))
    return out


require_success()
out = program_output()
if score(out, "n_train") != len(X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train')}, expected {len(X_train)}")
study = load_any_study("sgd-digits", "sqlite:///optuna.db")
if study.direction.name != "MAXIMIZE":
    fail(f"the study's direction is {study.direction.name}, expected maximize")
trials = sorted_trials(study, 15, states=("COMPLETE", "PRUNED"), space=SPACE)
require_sampled_by(trials[:10], lambda: TPESampler(seed=4), SPACE, "TPESampler(seed=4)")
require_curves(trials, lambda p: epochs(p, X_tr, y_tr, X_val, y_val), EPOCHS)
require_pruned_by(study, trials, lambda: MedianPruner(n_startup_trials=3, n_warmup_steps=1),
                  "a median pruner (3 startup trials, 1 warm-up step)")

best = printed_best_params(out)
if not same_params(best, study.best_params):
    fail(f"printed best params {best} differ from the study's {study.best_params}")
expected = epochs(study.best_params, X_train, y_train, X_test, y_test)[-1]
if not math.isclose(score(out, "accuracy"), expected, abs_tol=1e-4):
    fail(f"printed accuracy {score(out, 'accuracy')} is not that of the refit best model ({expected:.4f})")
print("ok")
