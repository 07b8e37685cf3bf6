"""optuna-svc-cv-cancer: the study in sqlite:///tuning.db maximised 3-fold CV accuracy over
C and gamma in 8 TPE(seed=3) trials, and the printed accuracy is that of the pipeline refit
with the best parameters."""
import ast
import itertools
import math

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from benchcheck import fail, program_output, require_success, score

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


# ---- the same for every Optuna task: read the study back through Optuna's API ----

def suggest(trial, name, dist):
    if isinstance(dist, FloatDistribution):
        return trial.suggest_float(name, dist.low, dist.high, log=dist.log, step=dist.step)
    if isinstance(dist, IntDistribution):
        return trial.suggest_int(name, dist.low, dist.high, log=dist.log, step=dist.step)
    return trial.suggest_categorical(name, dist.choices)


def replay(order):
    """The parameters TPESampler(seed=SEED) proposes when suggested in `order`."""
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=SEED))
    study.optimize(lambda t: [suggest(t, n, SPACE[n]) for n in order] and 0.0,
                   n_trials=min(N_TRIALS, 10))  # startup trials: independent of the values
    return [t.params for t in study.trials]


def same_params(a, b):
    if not isinstance(a, dict) or set(a) != set(b):
        return False
    return all(
        math.isclose(a[k], b[k], rel_tol=1e-9) if isinstance(b[k], float) else a[k] == b[k]
        for k in b
    )


def printed_best_params(text):
    for line in text.splitlines():
        if line.startswith("best_params:"):
            try:
                return ast.literal_eval(line.split(":", 1)[1].strip())
            except (ValueError, SyntaxError):
                fail(f"cannot read the best params from {line!r}")
    fail("the program printed no 'best_params: {...}' line")


require_success()  # the program ran to the end, before anything else
out = program_output()
X_train, X_test, y_train, y_test = split()  # the original program's split
if score(out, "n_train") != len(X_train):
    fail(f"the training split changed: n_train is {score(out, 'n_train'):g}, "
         f"the original program's is {len(X_train)}")

optuna.logging.set_verbosity(optuna.logging.WARNING)
try:
    study = optuna.load_study(study_name=STUDY, storage=STORAGE)
except Exception as exc:  # missing file, missing study: both mean no study was stored
    fail(f"cannot load study {STUDY!r} from {STORAGE}: {exc}")

trials = sorted(study.trials, key=lambda t: t.number)
if len(trials) != N_TRIALS or any(t.state != TrialState.COMPLETE for t in trials):
    fail(f"expected {N_TRIALS} complete trials, found "
         f"{[t.state.name for t in trials]}")
if study.direction.name.lower() != DIRECTION:
    fail(f"study direction is {study.direction.name}, expected {DIRECTION}")
for t in trials:
    if t.distributions != SPACE:
        fail(f"trial {t.number} searched {t.distributions}, expected {SPACE}")
stored = [t.params for t in trials][:10]
if not any(all(same_params(a, b) for a, b in zip(stored, replay(order)))
           for order in itertools.permutations(SPACE)):
    fail(f"the sampled parameters are not those of TPESampler(seed={SEED})")

best = printed_best_params(out)
if not same_params(best, study.best_params):
    fail(f"printed best params {best} differ from study.best_params {study.best_params}")

value = objective_value(study.best_params, X_train, y_train)
if not math.isclose(value, study.best_value, rel_tol=1e-6, abs_tol=1e-9):
    fail(f"best trial value {study.best_value} is not the objective described "
         f"(recomputed {value})")
final = make_model(study.best_params).fit(X_train, y_train)
for name, expected in test_scores(final, X_test, y_test).items():
    printed = score(out, name)
    if not math.isclose(printed, expected, rel_tol=1e-6, abs_tol=1e-4):
        fail(f"printed {name} {printed} is not that of the model refit with the best "
             f"params ({expected:.4f})")
print("ok")
