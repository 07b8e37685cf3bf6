"""The order in which a block's units start, and the configuration each one trains.

Units of a fixed-point search (grid, random) carry their configuration. A unit of an
adaptive search (optuna) carries only its trial index: the configuration is asked from
its study when it starts, and the study is told the trial's objective when it ends (see
benchrun.tuning.search.base). Both executors draw units from a `Feed`, so a search
behaves the same on Ray and in the local pool.
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Any

from benchrun.engine.units import Unit
from benchrun.jsonkey import canonical_json
from benchrun.tuning.search import SEARCHES, SearchMethod, Study


def study_key(unit: Unit) -> str:
    """Units of one study: same block and params but for the trial index."""
    return canonical_json([unit.block, {k: v for k, v in unit.params.items() if k != "config"}])


def adaptive(unit: Unit) -> SearchMethod | None:
    """The unit's search method when it proposes configurations at run time, else None."""
    method = SEARCHES.get(unit.params["search"]["method"])
    return method if method.adaptive and method.trial_key in unit.params["config"] else None


def trial_index(unit: Unit) -> int | None:
    """An adaptive search's trial index of the unit; None for a unit with a fixed configuration."""
    method = adaptive(unit)
    return None if method is None else int(unit.params["config"][method.trial_key])


class Feed:
    """`next()` -> (unit, params to train) or None when every unit has started;
    `finished(unit_id, summary)` once a unit ends (summary None: it failed).
    `history` holds, per study, the (config, best_value) of trials finished earlier."""

    def __init__(self, units: list[Unit], history: dict[str, list[tuple[dict, float | None]]] | None = None) -> None:
        self.units = list(units)
        indexed = any(trial_index(u) is not None for u in units)
        self._queue = deque(sorted(units, key=lambda u: (study_key(u), trial_index(u) or 0)) if indexed else units)
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
            method = adaptive(unit)
            if method is None:
                return unit, unit.params
            key, index = study_key(unit), int(unit.params["config"][method.trial_key])
            config = self._study(key, unit, method).ask(index)
            self._started[unit.id] = (key, index)
            fixed = {k: v for k, v in unit.params["config"].items() if k != method.trial_key}
            return unit, {**unit.params, "config": {**fixed, **config}}

    def finished(self, unit_id: str, summary: dict[str, Any] | None) -> None:
        with self._lock:
            if unit_id in self._started:
                key, index = self._started.pop(unit_id)
                self._studies[key].tell(index, (summary or {}).get("best_value"))

    def _study(self, key: str, unit: Unit, method: SearchMethod) -> Study:
        if key not in self._studies:
            study = method.study(unit.params["search"], int(unit.params["seed"]), unit.params.get("mode", "min"))
            for config, value in self._history.get(key, []):
                study.replay(config, value)
            self._studies[key] = study
        return self._studies[key]
