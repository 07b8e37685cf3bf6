"""`random(samples = N) { ... }`: N points drawn from the space with the block's seed, so
the plan fixes them (a resumed run trains the same ones)."""
from __future__ import annotations

import random
from typing import Any

from benchrun.tuning.search.base import SAMPLES, SCHEDULER, SearchMethod, draw


def _points(search: Any, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{p.name: draw(p.domain, rng) for p in search.space} for _ in range(search.samples)]


RANDOM = SearchMethod(name="random", doc="`samples` points drawn with the block's seed",
                      options=(SAMPLES, *SCHEDULER), points=_points, numbered=True)
