"""The best finished trial of each problem, on the board the block's trials share
(`TrialContext.board`): a contextual rule posts its trial's best value of a metric when
the trial ends its budget, and reads the best of the others."""
from __future__ import annotations

import contextlib

from benchrun.tuning.rules import TrialContext


def _key(context: TrialContext, metric: str) -> str:
    return f"finished_best|{context.problem}|{metric}"


def best_finished(context: TrialContext, metric: str) -> float | None:
    """The best score (higher is better) of the trials of this problem that finished
    their budget, or None."""
    if context.board is None:
        return None
    value = context.board.get(_key(context, metric))
    return None if value is None else float(value)


def post_finished(context: TrialContext, metric: str, score: float | None) -> None:
    """Record a finished trial's best score of the metric (higher is better)."""
    if context.board is None or score is None:
        return
    key = _key(context, metric)
    with context.lock if context.lock is not None else contextlib.nullcontext():
        best = context.board.get(key)
        if best is None or score > best:
            context.board[key] = score  # written back whole: works for a manager's dict

