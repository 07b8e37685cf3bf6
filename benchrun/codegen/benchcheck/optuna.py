"""Optuna studies. An Optuna task's program tunes a model with TPESampler(seed) and stores
the study; the check reads it back through Optuna's own API (imported only when used)."""
from __future__ import annotations

import math

from .judge import fail, program_output, require_success, score


def _suggest(trial, name: str, dist):
    from optuna.distributions import FloatDistribution, IntDistribution

    if isinstance(dist, FloatDistribution):
        return trial.suggest_float(name, dist.low, dist.high, log=dist.log, step=dist.step)
    if isinstance(dist, IntDistribution):
        return trial.suggest_int(name, dist.low, dist.high, log=dist.log, step=dist.step)
    return trial.suggest_categorical(name, dist.choices)


def tpe_replay(space: dict, order, seed: int, n_trials: int) -> list[dict]:
    """The parameters TPESampler(seed=seed) proposes for the first n_trials (at most 10)
    trials when the parameters of `space` are suggested in `order`."""
    import optuna

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(lambda t: [_suggest(t, n, space[n]) for n in order] and 0.0,
                   n_trials=min(n_trials, 10))  # startup trials: independent of the values
    return [t.params for t in study.trials]


def same_params(a, b: dict) -> bool:
    """`a` is a dict with the keys of `b` and its values (floats within 1e-9 relative)."""
    if not isinstance(a, dict) or set(a) != set(b):
        return False
    return all(
        math.isclose(a[k], b[k], rel_tol=1e-9) if isinstance(b[k], float) else a[k] == b[k]
        for k in b
    )


def printed_best_params(text: str) -> dict:
    """The dict of the first line `best_params: {...}` in `text`; fail() if there is none."""
    import ast

    for line in text.splitlines():
        if line.startswith("best_params:"):
            try:
                return ast.literal_eval(line.split(":", 1)[1].strip())
            except (ValueError, SyntaxError):
                fail(f"cannot read the best params from {line!r}")
    fail("the program printed no 'best_params: {...}' line")


def optuna_study(name: str, storage: str, *, n_trials: int, seed: int, direction: str, space: dict):
    """The study `name` in `storage`, required to hold exactly n_trials complete trials in
    `direction` ("maximize"/"minimize"), each searching `space` (name -> distribution),
    sampled by TPESampler(seed=seed) with the parameters suggested in any order."""
    import itertools

    import optuna
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.load_study(study_name=name, storage=storage)
    except Exception as exc:  # missing file, missing study: both mean no study was stored
        fail(f"cannot load study {name!r} from {storage}: {exc}")

    trials = sorted(study.trials, key=lambda t: t.number)
    if len(trials) != n_trials or any(t.state != TrialState.COMPLETE for t in trials):
        fail(f"expected {n_trials} complete trials, found "
             f"{[t.state.name for t in trials]}")
    if study.direction.name.lower() != direction:
        fail(f"study direction is {study.direction.name}, expected {direction}")
    for t in trials:
        if t.distributions != space:
            fail(f"trial {t.number} searched {t.distributions}, expected {space}")
    stored = [t.params for t in trials][:10]
    if not any(all(same_params(a, b) for a, b in zip(stored, tpe_replay(space, order, seed, n_trials)))
               for order in itertools.permutations(space)):
        fail(f"the sampled parameters are not those of TPESampler(seed={seed})")
    return study


def check_optuna_task(*, study: str, storage: str, n_trials: int, seed: int, direction: str, space: dict,
                      split, make_model, objective_value, test_scores) -> None:
    """The whole check of an Optuna task, given what is particular to it:
    split() -> X_train, X_test, y_train, y_test: the original program's split;
    make_model(params) -> an unfitted model; objective_value(params, X_train, y_train) -> the
    objective the study optimised; test_scores(model, X_test, y_test) -> {name: value} of
    the lines the program prints for the refit model.
    The program ran, kept its split (`n_train: N`), stored the study (see optuna_study),
    printed `best_params: {...}` equal to study.best_params, the best value is the
    objective of those params, and the printed test scores are the refit model's."""
    require_success()  # the program ran to the end, before anything else
    out = program_output()
    X_train, X_test, y_train, y_test = split()
    if score(out, "n_train") != len(X_train):
        fail(f"the training split changed: n_train is {score(out, 'n_train'):g}, "
             f"the original program's is {len(X_train)}")

    loaded = optuna_study(study, storage, n_trials=n_trials, seed=seed, direction=direction, space=space)

    best = printed_best_params(out)
    if not same_params(best, loaded.best_params):
        fail(f"printed best params {best} differ from study.best_params {loaded.best_params}")

    value = objective_value(loaded.best_params, X_train, y_train)
    if not math.isclose(value, loaded.best_value, rel_tol=1e-6, abs_tol=1e-9):
        fail(f"best trial value {loaded.best_value} is not the objective described "
             f"(recomputed {value})")
    final = make_model(loaded.best_params).fit(X_train, y_train)
    for name, expected in test_scores(final, X_test, y_test).items():
        printed = score(out, name)
        if not math.isclose(printed, expected, rel_tol=1e-6, abs_tol=1e-4):
            fail(f"printed {name} {printed} is not that of the model refit with the best "
                 f"params ({expected:.4f})")
