"""The Ray Tune `Stopper` built from a `stop when ...` rule and the search's scheduler
(see `rules.py` and `asha.py` for the logic, which the local pool runs too)."""
from __future__ import annotations

import threading
from typing import Any

from ray.tune import Stopper

from benchrun.tuning.asha import REASON, Asha, problem_of
from benchrun.tuning.rules import TrialRules
from benchrun.tuning.stopping.services import DriverServices

SUMMARY = "benchrun_summary"  # key of the last result a trial reports: its summary as JSON
ERROR = "benchrun_error"  # key of the one result of a trial that raised: its error


class RuleStopper(Stopper):
    """Ray Tune stopper: one `TrialRules` per trial, and ASHA when the search asks for it;
    remembers why and when each trial stopped.

    `stop_all` turns true when `interrupt` is set (Ctrl-C), so Tune ends every trial."""

    def __init__(self, rule: dict[str, Any] | None, objective: str, mode: str,
                 interrupt: threading.Event | None = None, scheduler: dict[str, Any] | None = None,
                 services: DriverServices | None = None):
        self._rule, self._objective, self._mode = rule, objective, mode
        self._interrupt = interrupt or threading.Event()
        self._trials: dict[str, TrialRules] = {}
        self._evaluations: dict[str, int] = {}
        self._judged: dict[str, int] = {}  # trial id -> last step judged
        self._asha = Asha(scheduler, mode) if scheduler else None
        self._services = services  # the contextual rules' board and judge
        self.stopped: dict[str, tuple[str, int]] = {}  # trial id -> (rule text, step)

    def __call__(self, trial_id: str, result: dict[str, Any]) -> bool:
        if trial_id in self.stopped:
            return True
        if SUMMARY in result or ERROR in result:  # the closing summary repeats the last evaluation
            return False
        step = int(result["step"])
        if step <= self._judged.get(trial_id, 0):
            return False  # a trial run again after its node was lost replays steps already judged: go on
        self._judged[trial_id] = step
        rules = self._trials.get(trial_id)
        if rules is None:
            unit = result.get("config", {}).get("unit", {})  # Ray Tune fills in each result's config
            context = self._services.context(unit.get("id", trial_id), unit.get("params", {})) if self._services else None
            rules = self._trials[trial_id] = TrialRules(self._rule, self._objective, self._mode, context)
        reason = rules.check(result)
        self._evaluations[trial_id] = count = self._evaluations.get(trial_id, 0) + 1
        if not reason and self._asha and not result.get("finished"):
            # Ray Tune fills in each result's config: the unit whose problem ranks the trial
            problem = problem_of(result.get("config", {}).get("unit", {}).get("params", {}))
            reason = REASON if self._asha.decide(trial_id, count, result.get(self._objective), problem) else None
        if reason:
            self.stopped[trial_id] = (reason, step)
        return reason is not None

    def stop_all(self) -> bool:
        return self._interrupt.is_set()

    def __getstate__(self) -> dict[str, Any]:
        # Tune pickles its run config into the experiment state; an Event cannot be
        # pickled, and a restored copy has no Ctrl-C to watch. Nor are the trials' rule
        # states (a plugin rule's need not pickle): benchrun never restores a Tune run.
        return {**self.__dict__, "_interrupt": None, "_trials": {}, "_services": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _interrupt=threading.Event())
