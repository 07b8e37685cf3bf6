"""`grid { ... }`: every combination of the parameters' values, in order."""
from __future__ import annotations

import itertools
import math
from typing import Any

from benchrun.tuning.search.base import MAX_POINTS, SearchMethod


def _points(search: Any, seed: int) -> list[dict[str, Any]]:
    names = [p.name for p in search.space]
    return [dict(zip(names, combo)) for combo in itertools.product(*(p.domain.values for p in search.space))]


def _too_large(search: Any) -> str | None:
    size = math.prod(len(p.domain.values) for p in search.space)
    if size > MAX_POINTS:
        return f"this grid has {size} points, more than {MAX_POINTS}; use random or optuna"
    return None


GRID = SearchMethod(name="grid", doc="every combination of the values (no scheduler: each point runs to its end)",
                    points=_points, finite=True, check=_too_large)
