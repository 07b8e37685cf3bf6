"""Optuna studies beyond one TPE objective: pruned trials and their intermediate values,
other samplers replayed, several objectives, constraints, journal storages. Read back
through Optuna's own API (imported only when used); optuna.py holds the TPE helpers."""
from __future__ import annotations

import itertools
import math

from .judge import fail
from .optuna import _suggest, same_params


def load_any_study(name: str, storage):
    """The study `name` from `storage` (a URL or an Optuna storage object); fail() if absent."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        return optuna.load_study(study_name=name, storage=storage)
    except Exception as exc:  # noqa: BLE001  missing file or study: both mean none was stored
        fail(f"cannot load study {name!r} from {storage}: {exc}")


def journal_storage(path: str):
    """An Optuna journal storage over the file `path` (fail() if it does not exist)."""
    import os

    import optuna

    if not os.path.isfile(path):
        fail(f"no journal file {path}")
    from optuna.storages.journal import JournalFileBackend

    return optuna.storages.JournalStorage(JournalFileBackend(path))


def sorted_trials(study, n_trials: int, states=("COMPLETE",), space: dict | None = None) -> list:
    """The study's trials by number: exactly `n_trials`, each in one of `states`, each having
    searched exactly `space` (name -> distribution) when given."""
    trials = sorted(study.trials, key=lambda t: t.number)
    if len(trials) != n_trials or any(t.state.name not in states for t in trials):
        fail(f"expected {n_trials} trials, each {' or '.join(states)}; found {[t.state.name for t in trials]}")
    for t in trials if space is not None else ():
        if t.distributions != space:
            fail(f"trial {t.number} searched {t.distributions}, expected {space}")
    return trials


def sampler_replay(make_sampler, space: dict, order, n_trials: int, directions=("minimize",)) -> list[dict]:
    """The params a fresh `make_sampler()` proposes for n_trials trials whose params are
    suggested in `order`, when its proposals do not depend on the values (random and grid
    samplers; the startup trials of the others)."""
    import optuna

    study = optuna.create_study(sampler=make_sampler(), directions=list(directions))
    zeros = [0.0] * len(directions)
    study.optimize(lambda t: [_suggest(t, n, space[n]) for n in order] and (zeros if len(zeros) > 1 else 0.0),
                   n_trials=n_trials)
    return [t.params for t in study.trials]


def require_sampled_by(trials: list, make_sampler, space: dict, what: str, directions=("minimize",)) -> None:
    """The trials' params are those `make_sampler()` proposes, the params suggested in some order."""
    stored = [t.params for t in trials]
    for order in itertools.permutations(space):
        replayed = sampler_replay(make_sampler, space, order, len(trials), directions)
        if all(same_params(a, b) for a, b in zip(stored, replayed)):
            return
    fail(f"the sampled parameters are not those of {what}")


def require_curves(trials: list, curve, n_steps: int, rel: float = 1e-9) -> None:
    """Each trial reported, at steps 0, 1, ..., the values `curve(params)` gives (a list of
    n_steps values); a complete trial reported all of them and its value is the last."""
    for t in trials:
        steps = sorted(t.intermediate_values)
        if steps != list(range(len(steps))) or not steps:
            fail(f"trial {t.number} reported the steps {steps}, expected 0, 1, 2, ...")
        expected = curve(t.params)
        got = [t.intermediate_values[s] for s in steps]
        if len(got) > n_steps or not all(math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
                                         for a, b in zip(got, expected)):
            fail(f"trial {t.number} reported {got}, its params give {expected[:len(got)]}")
        if t.state.name == "COMPLETE":
            if len(got) != n_steps:
                fail(f"complete trial {t.number} reported {len(got)} steps, expected {n_steps}")
            if not math.isclose(t.value, expected[-1], rel_tol=rel, abs_tol=1e-12):
                fail(f"trial {t.number}'s value {t.value} is not its last step's {expected[-1]}")


def require_pruned_by(study, trials: list, make_pruner, what: str) -> None:
    """Replayed in order, `make_pruner()` keeps each trial at every reported step but the
    last step of a pruned trial, where it prunes it: the program asked the pruner after each
    report and stopped the trial when it said so."""
    import optuna
    from optuna.trial import TrialState, create_trial

    replay = optuna.create_study(directions=[d.name.lower() for d in study.directions])
    pruner = make_pruner()
    for t in trials:
        steps = sorted(t.intermediate_values)
        for i, step in enumerate(steps):
            partial = create_trial(state=TrialState.COMPLETE, value=0.0, params=t.params, distributions=t.distributions,
                                   intermediate_values={s: t.intermediate_values[s] for s in steps[:i + 1]})
            prune = pruner.prune(replay, partial)
            last = i == len(steps) - 1
            if prune and not last:
                fail(f"{what} prunes trial {t.number} at step {step}, but it went on to step {steps[i + 1]}")
            if last and prune != (t.state == TrialState.PRUNED):
                fail(f"trial {t.number} is {t.state.name} after step {step}, but {what} "
                     f"{'prunes' if prune else 'keeps'} it there")
        replay.add_trial(t)
    if not any(t.state == TrialState.PRUNED for t in trials):
        fail("no trial was pruned")
