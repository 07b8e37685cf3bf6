"""Search methods, one module each under a small base (`base.SearchMethod`): grid, random,
optuna. A plugin adds one through the entry-point group `benchrun.searches`."""
from __future__ import annotations

from benchrun.registry import Registry
from benchrun.tuning.search.base import SAMPLES, SCHEDULER, SearchMethod, Study, draw

SEARCHES: Registry[SearchMethod] = Registry("searches", "search method", SearchMethod, {
    "grid": "benchrun.tuning.search.grid:GRID",
    "random": "benchrun.tuning.search.random:RANDOM",
    "optuna": "benchrun.tuning.search.optuna:OPTUNA",
})

__all__ = ["SAMPLES", "SCHEDULER", "SEARCHES", "SearchMethod", "Study", "draw"]
