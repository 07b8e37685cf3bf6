"""The order in which a block's units start, and the configuration each one trains.

Units of a fixed-point search (grid, random) carry their configuration. A unit of an
adaptive search (optuna, llm) carries only its trial index: the configuration is asked
from its study when it starts, and the study is told the trial's summary when it ends (see
benchrun.tuning.search.base). Both executors draw units from a `Feed`, so a search
behaves the same on Ray and in the local pool.
"""
from __future__ import annotations

import hashlib
import threading
from collections import deque
from typing import Any

from benchrun.engine.units import Unit
from benchrun.jsonkey import canonical_json
from benchrun.tuning.search import SEARCHES, SearchMethod, Session, Study


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
    """`next()` -> (unit, params to train), or None when no unit can start now (every
    unit has started, or an adaptive study waits for trials to end: `exhausted` says
    which); `finished(unit_id, summary)` once a unit ends (summary None: it failed).
    `history` holds, per study, the (config, summary) of trials finished earlier. `block`,
    `ctx` and `cache_dir` are what a study's `Session` hands on; close the feed after the
    run (a study may hold a model server)."""

    def __init__(self, units: list[Unit], history: dict[str, list[tuple[dict, dict | None]]] | None = None,
                 block: Any = None, ctx: Any = None, cache_dir: str | None = None) -> None:
        self.units = list(units)
        indexed = any(trial_index(u) is not None for u in units)
        self._queue = deque(sorted(units, key=lambda u: (study_key(u), trial_index(u) or 0)) if indexed else units)
        self._studies: dict[str, Study] = {}
        self._history = history or {}
        self._started: dict[str, tuple[str, int]] = {}  # unit id -> (study key, trial index)
        self._block, self._ctx, self._cache_dir = block, ctx, cache_dir
        self._shared: dict[str, Any] = {}  # what the studies share (Session.shared), closed with the feed
        self._lock = threading.Lock()  # Ray calls the searcher and the callbacks from different threads

    def __len__(self) -> int:
        return len(self._queue)

    def __enter__(self) -> Feed:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def exhausted(self) -> bool:
        return not self._queue

    def next(self) -> tuple[Unit, dict[str, Any]] | None:
        with self._lock:
            for unit in self._queue:  # the first unit that can start: a waiting study holds back only its own
                method = adaptive(unit)
                if method is None:
                    self._queue.remove(unit)
                    return unit, unit.params
                key, index = study_key(unit), int(unit.params["config"][method.trial_key])
                study = self._study(key, unit, method)
                if not getattr(study, "ready", lambda _: True)(index):
                    continue
                self._queue.remove(unit)
                config = study.ask(index)
                self._started[unit.id] = (key, index)
                fixed = {k: v for k, v in unit.params["config"].items() if k != method.trial_key}
                return unit, {**unit.params, "config": {**fixed, **config}}
            return None

    def finished(self, unit_id: str, summary: dict[str, Any] | None) -> None:
        with self._lock:
            if unit_id in self._started:
                key, index = self._started.pop(unit_id)
                self._studies[key].tell(index, summary)

    def close(self) -> None:
        with self._lock:
            studies, self._studies = list(self._studies.values()), {}
            shared, self._shared = list(self._shared.values()), {}
        for closable in (*studies, *shared):
            getattr(closable, "close", lambda: None)()

    def _share(self, name: str, make: Any) -> Any:
        if name not in self._shared:  # called under the lock, from a study's ask
            self._shared[name] = make()
        return self._shared[name]

    def _study(self, key: str, unit: Unit, method: SearchMethod) -> Study:
        if key not in self._studies:
            assert method.study is not None, "adaptive() returns only a method with a study"
            study = method.study(unit.params["search"], int(unit.params["seed"]), unit.params.get("mode", "min"),
                                 self._session(key, unit))
            for config, summary in self._history.get(key, []):
                study.replay(config, summary)
            self._studies[key] = study
        return self._studies[key]

    def _session(self, key: str, unit: Unit) -> Session:
        # every unit of an adaptive study has a trial index
        members = {index: u.id for u in self.units if study_key(u) == key and (index := trial_index(u)) is not None}
        ctx = self._ctx
        return Session(
            key=hashlib.sha256(key.encode()).hexdigest()[:16], block=self._block,
            dataset=unit.params["dataset"], algorithm=unit.params["algorithm"], units=members,
            metric=unit.params.get("metric", "val_loss"), stop=unit.params.get("stop"),
            run_id=getattr(ctx, "run_id", ""), store=getattr(ctx, "store", None),
            use_cache=getattr(ctx, "use_cache", True), cache_dir=self._cache_dir, shared=self._share,
        )
