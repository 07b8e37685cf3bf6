"""The order in which a block's units start, and the configuration each one trains.

Grid and random units carry their configuration. An Optuna unit carries only its trial
index: the configuration is asked from its study when it starts, and the study is told
the trial's objective when it ends. Both executors draw units from a `Feed`, so a search
behaves the same on Ray and in the local pool.
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Any

from benchrun.engine.units import Unit, canonical_json
from benchrun.tuning.study import Study


def study_key(unit: Unit) -> str:
    """Units of one study: same block and params but for the trial index."""
    return canonical_json([unit.block, {k: v for k, v in unit.params.items() if k != "config"}])


def is_optuna(unit: Unit) -> bool:
    return "optuna_trial" in unit.params["config"]


class Feed:
    """`next()` -> (unit, params to train) or None when every unit has started;
    `finished(unit_id, summary)` once a unit ends (summary None: it failed).
    `history` holds, per study, the (config, best_value) of trials finished earlier."""

    def __init__(self, units: list[Unit], history: dict[str, list[tuple[dict, float | None]]] | None = None) -> None:
        self.units = list(units)
        self._queue = deque(sorted(units, key=lambda u: (study_key(u), u.params["config"].get("optuna_trial", 0)))
                            if any(is_optuna(u) for u in units) else units)
        self._studies: dict[str, Study] = {}
        self._history = history or {}
        self._started: dict[str, tuple[str, int]] = {}  # unit id -> (study key, trial index)
        self._lock = threading.Lock()  # Ray calls the searcher and the callbacks from different threads

    def __len__(self) -> int:
        return len(self._queue)

    def next(self) -> tuple[Unit, dict[str, Any]] | None:
        with self._lock:
            if not self._queue:
                return None
            unit = self._queue.popleft()
            if not is_optuna(unit):
                return unit, unit.params
            key, index = study_key(unit), int(unit.params["config"]["optuna_trial"])
            config = self._study(key, unit).ask(index)
            self._started[unit.id] = (key, index)
            return unit, {**unit.params, "config": {**unit.params["config"], **config}}

    def finished(self, unit_id: str, summary: dict[str, Any] | None) -> None:
        with self._lock:
            if unit_id in self._started:
                key, index = self._started.pop(unit_id)
                self._studies[key].tell(index, (summary or {}).get("best_value"))

    def _study(self, key: str, unit: Unit) -> Study:
        if key not in self._studies:
            search = unit.params["search"]
            study = Study(search["space"], search["sampler"], int(unit.params["seed"]), unit.params.get("mode", "min"))
            for config, value in self._history.get(key, []):
                study.replay(config, value)
            self._studies[key] = study
        return self._studies[key]
