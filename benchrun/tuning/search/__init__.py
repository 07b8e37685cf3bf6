"""Search methods, one module each under a small base (`base.SearchMethod`): grid, random,
optuna, llm. A plugin adds one through the entry-point group `benchrun.searches`."""
from __future__ import annotations

from benchrun.registry import Registry
from benchrun.tuning.search.base import SAMPLES, SCHEDULER, SearchMethod, Session, Study, draw

SEARCHES: Registry[SearchMethod] = Registry("searches", "search method", SearchMethod, {
    "grid": "benchrun.tuning.search.grid:GRID",
    "random": "benchrun.tuning.search.random:RANDOM",
    "optuna": "benchrun.tuning.search.optuna:OPTUNA",
    "llm": "benchrun.tuning.search.llm:LLM",
})

__all__ = ["SAMPLES", "SCHEDULER", "SEARCHES", "SearchMethod", "Session", "Study", "draw"]
