"""optuna-hgb-resume-moons: the study hgb-moons in sqlite:///hgb.db holds the trials of two
runs: the program's 6, sampled by TPESampler(seed=0), then the 4 the resumed run
(`--trials 4 --sampler-seed 1`) added, sampled by TPESampler(seed=1); every value is the
validation accuracy of its params; each run printed the study's size and best params at
its end and the test accuracy of the model refit with them."""
import math
import os

os.environ["OMP_NUM_THREADS"] = "1"  # before scikit-learn loads OpenMP: 20 small fits, no thread pool

from optuna.distributions import FloatDistribution, IntDistribution  # noqa: E402
from optuna.samplers import TPESampler  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from benchcheck import (  # noqa: E402
    fail, load_any_study, printed_best_params, program_output, require_after_success, require_sampled_by,
    require_success, require_values, same_params, score, sorted_trials,
)

from train import load_split, make_model, parse_args  # noqa: E402  the unmodified program's data and model

RESUME = "python3 train.py --trials 4 --sampler-seed 1"
FIRST, SECOND = 6, 4
SPACE = {"learning_rate": FloatDistribution(0.01, 0.5, log=True), "max_leaf_nodes": IntDistribution(4, 64, log=True),
         "l2_regularization": FloatDistribution(0.0, 1.0)}

X_train, X_test, y_train, y_test = load_split(parse_args([]).seed)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=1, stratify=y_train)


def check_run(what: str, out: str, trials: list) -> None:
    """The run printed the study's size at its end, best params of a best trial among
    `trials` (ties: any of them) and the test accuracy of the model refit with them."""
    if score(out, "trials_in_study") != len(trials):
        fail(f"{what} printed trials_in_study {score(out, 'trials_in_study')}, the study then held {len(trials)}")
    top = max(t.value for t in trials)
    best = printed_best_params(out)
    if not any(t.value == top and same_params(best, t.params) for t in trials):
        fail(f"{what} printed best params {best}, not those of a best trial (validation accuracy {top})")
    expected = make_model(**best).fit(X_train, y_train).score(X_test, y_test)
    if not math.isclose(score(out, "accuracy"), expected, abs_tol=1e-4):
        fail(f"{what} printed accuracy {score(out, 'accuracy')}, the model refit with its best params scores {expected:.4f}")


require_success()
out = program_output()
if score(out, "n_train") != len(X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train')}, expected {len(X_train)}")
resumed = require_after_success(RESUME)
study = load_any_study("hgb-moons", "sqlite:///hgb.db")
if study.direction.name != "MAXIMIZE":
    fail(f"the study's direction is {study.direction.name}, expected maximize")
trials = sorted_trials(study, FIRST + SECOND, space=SPACE)
require_sampled_by(trials[:FIRST], lambda: TPESampler(seed=0), SPACE, "TPESampler(seed=0) in the first run")
require_sampled_by(trials[FIRST:], lambda: TPESampler(seed=1), SPACE,
                   "TPESampler(seed=1) in the resumed run (trials 6 to 9)")
require_values(trials, lambda p: [make_model(**p).fit(X_tr, y_tr).score(X_val, y_val)], "the validation accuracy")
check_run("the first run", out, trials[:FIRST])
check_run(f"the resumed run ({RESUME})", resumed["stdout"], trials)
print("ok")
