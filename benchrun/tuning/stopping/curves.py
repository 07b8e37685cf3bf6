"""Learning-curve extrapolation, after Domhan et al. (2015): fit parametric curves to a
trial's metric so far and read off each one's value at the end of the budget.

Two of Domhan's families, the ones that describe SGD's validation loss best here:
`pow3`, y = c + a * x^-b (a power law), and `exp3`, y = c + a * exp(-b x) (exponential
decay), with x = step / final step, so x = 1 is the end of the budget. For a fixed rate b
each is linear in (c, a), so the least-squares fit is exact for every b of a grid
(variable projection) and the b with the smallest squared error wins: no iterative
optimiser, a few microseconds per fit, the same answer every time. A curve may rise as
well as fall (`a` of either sign): a diverging loss is extrapolated upwards.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# name -> (basis g_b(x), the grid of rates b)
FAMILIES = {
    "pow3": (lambda x, b: np.power(x, -b), np.geomspace(0.01, 10.0, 120)),
    "exp3": (lambda x, b: np.exp(-b * x), np.geomspace(0.01, 200.0, 160)),
}


def extrapolate(steps: Sequence[float], values: Sequence[float], final_step: float) -> dict[str, float]:
    """Each family's value at `final_step`, fitted to (steps, values); {} with fewer than
    3 distinct steps (three parameters)."""
    x = np.asarray(steps, dtype=float) / float(final_step)
    y = np.asarray(values, dtype=float)
    keep = np.isfinite(y) & (x > 0)
    x, y = x[keep], y[keep]
    if len(np.unique(x)) < 3:
        return {}
    out = {}
    centred = y - y.mean()
    for name, (basis, rates) in FAMILIES.items():
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            g = basis(x[None, :], rates[:, None])  # (rates, points)
            g_centred = g - g.mean(axis=1, keepdims=True)
            spread = (g_centred**2).sum(axis=1)
            a = (g_centred @ centred) / spread
            error = ((centred[None, :] - a[:, None] * g_centred) ** 2).sum(axis=1)
            at_end = y.mean() + a * (basis(1.0, rates) - g.mean(axis=1))  # c + a * g_b(1)
        usable = np.isfinite(error) & np.isfinite(at_end) & (spread > 1e-12 * np.maximum(1.0, (g**2).sum(axis=1)))
        if usable.any():
            best = np.flatnonzero(usable)[np.argmin(error[usable])]
            out[name] = float(at_end[best])
    return out
