"""ASHA (asynchronous successive halving, Li et al. 2020), one implementation for both
executors: on Ray it runs in the driver's stopper, in the local pool on a rung table the
worker processes share. Same rule as Ray Tune's `ASHAScheduler`: a trial reaching a rung
(`grace_period * reduction_factor ** k` evaluations) is stopped unless its objective is
in the best 1/reduction_factor of the values recorded at that rung so far; a trial
reaching `max_t` evaluations ends. Time is counted in evaluations, so the decision does
not depend on how fast a machine runs the steps.

Trials are compared only with trials of the same problem (data set and algorithm): a
block that tunes several would otherwise stop trials by the scale of their loss (a
regression set's squared error against a classifier's log loss), not by their quality.
"""
from __future__ import annotations

import json
import math
from collections.abc import MutableMapping
from typing import Any

import numpy as np

REASON = "asha"


def problem_of(params: dict[str, Any]) -> str:
    """The rung tables a trial is ranked in: its data set (with its options: two synthetic
    sets differ only there) and algorithm."""
    return json.dumps([params.get("dataset"), params.get("algorithm")], sort_keys=True, default=str)


class Asha:
    """`decide(trial, evaluations, value, problem)` -> True to stop. `rungs` maps
    (problem, milestone) to {trial: value}; pass a shared mapping (and a lock) to share it
    between processes."""

    def __init__(self, settings: dict[str, Any], mode: str, rungs: MutableMapping | None = None, lock=None) -> None:
        self.grace, self.factor, self.max_t = settings["grace_period"], settings["reduction_factor"], settings["max_t"]
        self.larger = mode == "max"
        self.rungs = {} if rungs is None else rungs
        self.lock = lock
        levels = int(math.log(max(self.max_t / self.grace, 1), self.factor)) if self.max_t > self.grace else 0
        # Highest rung first, as in Ray Tune: a trial is judged at the highest rung it reached.
        self.milestones = sorted({int(self.grace * self.factor**k) for k in range(levels + 1)}, reverse=True)
        self.milestones = [m for m in self.milestones if m < self.max_t]

    def decide(self, trial: str, evaluations: int, value: float | None, problem: str = "") -> bool:
        if evaluations >= self.max_t:
            return True
        if self.lock is None:
            return self._decide(trial, evaluations, value, problem)
        with self.lock:
            return self._decide(trial, evaluations, value, problem)

    def _decide(self, trial: str, evaluations: int, value: float | None, problem: str) -> bool:
        score = -math.inf if value is None or math.isnan(value) else (value if self.larger else -value)
        for milestone in self.milestones:
            rung = (problem, milestone)
            recorded = dict(self.rungs.get(rung, {}))
            if evaluations >= milestone and trial in recorded:
                return False  # judged at this rung already
            if evaluations < milestone or trial in recorded:
                continue
            cutoff = np.nanpercentile(list(recorded.values()), (1 - 1 / self.factor) * 100) if recorded else None
            recorded[trial] = score
            self.rungs[rung] = recorded  # written back whole: works for a Manager dict
            return cutoff is not None and bool(score < cutoff)
        return False
