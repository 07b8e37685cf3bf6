"""`optuna(samples = N, sampler = tpe) { ... }`: Optuna searches run by benchrun itself, the
same way on every executor.

A block's Optuna search is one study per (data set, algorithm). benchrun asks the study
for a configuration when a unit is about to start (unit k is the study's k-th trial) and
tells it the trial's objective (`best_value`) when the unit ends. Ray Tune reaches the
same code through `raytune.FeedSearcher`, the local pool directly, so both executors
sample alike.

Resume: the study's history is the results file. Trials that finished in earlier runs
are replayed into a new study with `add_trial` before anything is asked, and the sampler
that proposes trial k is seeded with (seed, k) - not one generator for the whole study,
whose state a fresh process could not restore - so a resumed search continues where it
stopped instead of proposing its first configurations again.
"""
from __future__ import annotations

import hashlib
from typing import Any

from benchrun.registry import Option, Word
from benchrun.tuning.search.base import SAMPLES, SCHEDULER, SearchMethod, Session, objective

SAMPLERS = ("tpe", "random", "cmaes")


def distributions(space: dict[str, Any]) -> dict[str, Any]:
    from optuna.distributions import BaseDistribution, CategoricalDistribution, FloatDistribution, IntDistribution

    out: dict[str, BaseDistribution] = {}
    for name, domain in space.items():
        kind, args = domain["kind"], domain["args"]
        if kind == "choice":
            out[name] = CategoricalDistribution(list(args[0]))
        elif kind == "randint":
            out[name] = IntDistribution(int(args[0]), int(args[1]))
        else:
            out[name] = FloatDistribution(float(args[0]), float(args[1]), log=kind == "loguniform")
    return out


def trial_seed(seed: int, index: int) -> int:
    digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def make_sampler(name: str, seed: int):
    import optuna.samplers

    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False)
    return optuna.samplers.TPESampler(seed=seed)


class Study:
    """One Optuna study: `ask(k)` -> configuration of trial k; `tell(k, value)`."""

    def __init__(self, space: dict[str, Any], sampler: str, seed: int, mode: str) -> None:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self._space, self._sampler, self._seed = distributions(space), sampler, seed
        self._study = optuna.create_study(direction="maximize" if mode == "max" else "minimize",
                                          sampler=make_sampler(sampler, seed))
        self._asked: dict[int, Any] = {}

    def replay(self, config: dict[str, Any], result: dict[str, Any] | None) -> None:
        """Add a trial finished in an earlier run, with its objective (None: it had none)."""
        from optuna.trial import TrialState, create_trial

        params = {name: config[name] for name in self._space}
        value = objective(result)
        self._study.add_trial(create_trial(
            params=params, distributions=self._space, value=value,
            state=TrialState.FAIL if value is None else TrialState.COMPLETE,
        ))

    def ask(self, index: int) -> dict[str, Any]:
        self._study.sampler = make_sampler(self._sampler, trial_seed(self._seed, index))
        trial = self._study.ask(self._space)
        self._asked[index] = trial
        return dict(trial.params)

    def tell(self, index: int, result: dict[str, Any] | None) -> None:
        from optuna.trial import TrialState

        trial = self._asked.pop(index, None)
        if trial is None:
            return
        value = objective(result)
        if value is None:
            self._study.tell(trial, state=TrialState.FAIL)
        else:
            self._study.tell(trial, value)


def _study(params: dict[str, Any], seed: int, mode: str, session: Session) -> Study:
    return Study(params["space"], params["sampler"], seed, mode)


OPTUNA = SearchMethod(
    name="optuna", doc="an Optuna study per (data set, algorithm): each trial's configuration is asked when it starts",
    options=(SAMPLES, Option("sampler", Word(SAMPLERS), "Optuna's sampler", "tpe"), *SCHEDULER), study=_study)
