"""The held-out evaluation of a cross-validated search (the thesis protocol's last step).

With `split cv = k`, trials are scored by the mean over k folds of the training part.
Once every trial of a study (one data set and algorithm of a block) has finished, a
`holdout` unit takes the configuration with the best fold-mean objective, trains it on
the whole training part and evaluates it once on the held-out 30 %. Its summary and
metrics (`test_loss`, `test_accuracy` or `test_rmse`) are that configuration's test
figures; trials never see the held-out part.
"""
from __future__ import annotations

import json
import math
import os
from typing import Any

from benchrun.engine.units import Report, RunContext, Unit, UnitOutcome
from benchrun.errors import BenchrunError
from benchrun.tuning.datasets import PMLB_CACHE_ENV
from benchrun.tuning.plan import HOLDOUT
from benchrun.tuning.spec import TuneSpec
from benchrun.tuning.trainable import prepare, run_trial


class HoldoutError(BenchrunError, RuntimeError):
    """A held-out evaluation that cannot run here."""


class HoldoutWorkload:
    kind = HOLDOUT

    def __init__(self, pmlb_cache: str | None = None) -> None:
        self.pmlb_cache = pmlb_cache or os.environ.get(PMLB_CACHE_ENV)

    def run_block(self, block: TuneSpec, units: list[Unit], ctx: RunContext, report: Report) -> None:
        for unit in units:
            if ctx.stop.is_set():
                return
            try:
                report(self._evaluate(unit, ctx))
            except Exception as error:  # noqa: BLE001 - this unit fails; the others run
                report(UnitOutcome(unit.id, "failed", error=f"{type(error).__name__}: {error}"))

    def _evaluate(self, unit: Unit, ctx: RunContext) -> UnitOutcome:
        params = unit.params
        trials = _finished_trials(ctx, params["candidates"])
        missing = len(params["candidates"]) - len(trials)
        if missing:
            return UnitOutcome(unit.id, "failed", error=(
                f"{missing} of the search's {len(params['candidates'])} trials have not finished; "
                "the held-out evaluation runs once they all have (run the spec again)"))
        sign = -1.0 if params["mode"] == "max" else 1.0
        scored = {uid: s for uid, s in trials.items() if _finite(s.get("best_value"))}
        if not scored:
            return UnitOutcome(unit.id, "failed", error=f"no trial of the search has a value of {params['metric']}")
        chosen = min(sorted(scored), key=lambda uid: sign * scored[uid]["best_value"])
        config = scored[chosen]["config"]
        split = {**params["split"], "cv": 0}  # the whole training part; the held-out part validates
        data = prepare(params["dataset"], split, params["seed"], self.pmlb_cache)
        final = {**params, "config": config, "split": split, "evaluate_every": 1 << 62}  # evaluated once, at the end
        summary = run_trial(final, data, lambda result: None, sample_system=False)
        test = {f"test_{name if name != 'val_loss' else 'loss'}": summary[name]
                for name in ("val_loss", "accuracy", "rmse") if name in summary}
        ctx.log_metrics(unit.id, [(int(summary["steps"]), name, float(value)) for name, value in test.items()])
        return UnitOutcome(unit.id, "done", summary={
            "chosen_unit": chosen, "config": config, "cv_" + params["metric"]: scored[chosen]["best_value"],
            "steps": summary["steps"], "stop_reason": summary["stop_reason"], **test,
        })


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _finished_trials(ctx: RunContext, unit_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Summaries of the done trials among `unit_ids`, this run's included."""
    if ctx.store is None:
        raise HoldoutError("the held-out evaluation reads the trials from the results file; this run has none")
    if ctx.store.writer is not None:
        ctx.store.writer.flush()  # this run's trial outcomes reach the file first
    rows = ctx.store.query(
        "SELECT unit_id, summary FROM unit_results WHERE unit_id IN (SELECT unnest(?::VARCHAR[]))", [unit_ids])
    return {unit_id: json.loads(summary) for unit_id, summary in rows if summary}
