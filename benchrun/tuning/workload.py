"""The tuning workload: runs trial units on the block's executor (Ray Tune or a local pool).

Each tune block's units run together, with the executor settings of that block's
`TuneSpec` (they are not in the units' params because they do not change results).
Problems that doom a unit before it runs — an unknown metric in the stop rule, a data set
that cannot be loaded, an algorithm that does not fit the data set's task — fail only
the units concerned, with a message that says what to fix; the other units run.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from benchrun.engine.units import TRIAL, RunContext, Unit, UnitOutcome, canonical_json
from benchrun.grammar.spec import TuneSpec, options_dict
from benchrun.tuning.algorithms import AlgorithmError, task_of
from benchrun.tuning.datasets import PMLB_CACHE_ENV
from benchrun.tuning.feed import Feed, is_optuna, study_key
from benchrun.tuning.rules import RuleError, check_rule
from benchrun.tuning.trainable import Prepared, prepare

Report = Callable[[UnitOutcome], None]


def data_key(params: dict[str, Any]) -> str:
    """Trials with equal keys share one prepared (split, scaled) data set."""
    return canonical_json([params["dataset"], params["split"], params["seed"]])


class TuneWorkload:
    kind = TRIAL

    def __init__(self, pmlb_cache: str | None = None) -> None:
        self.pmlb_cache = pmlb_cache or os.environ.get(PMLB_CACHE_ENV)

    def run(self, units: list[Unit], ctx: RunContext, report: Report) -> None:
        blocks = {b.name: b for b in ctx.spec.blocks if isinstance(b, TuneSpec)}
        by_block: dict[str, list[Unit]] = {}
        for unit in units:
            by_block.setdefault(unit.block, []).append(unit)
        for name, block_units in by_block.items():
            if ctx.stop.is_set():
                return
            if name not in blocks:
                _fail(block_units, f"the spec has no tune block named {name!r}", report)
                continue
            self._run_block(blocks[name], block_units, ctx, report)

    def _run_block(self, block: TuneSpec, units: list[Unit], ctx: RunContext, report: Report) -> None:
        try:
            check_rule(units[0].params["stop"])
        except RuleError as error:
            return _fail(units, str(error), report)
        options = options_dict(block.executor.options)
        history = _history(block, units, ctx)
        if block.executor.kind == "ray":
            data, runnable = self._prepare_all(units, report)
            if runnable:
                from benchrun.tuning.raytune import (
                    run_ray,  # imports Ray only when used
                )

                run_ray(block, Feed(runnable, history), data, data_key, ctx, report)
        else:
            from benchrun.tuning.local import default_workers, run_local

            cpus = max(1, int(options.get("cpus_per_trial", 1)))
            workers = int(ctx.concurrency or options.get("max_concurrent") or default_workers(cpus))
            run_local(Feed(units, history), ctx, report, workers=workers, cpus_per_trial=cpus, cache_dir=self.pmlb_cache)

    def _prepare_all(self, units: list[Unit], report: Report) -> tuple[dict[str, Prepared], list[Unit]]:
        """Load and split each data set once; fail the units whose data set or
        algorithm cannot work."""
        data: dict[str, Prepared] = {}
        errors: dict[str, str] = {}
        runnable = []
        for unit in units:
            key = data_key(unit.params)
            if key not in data and key not in errors:
                try:
                    data[key] = prepare(unit.params["dataset"], unit.params["split"], unit.params["seed"], self.pmlb_cache)
                except ValueError as error:  # DatasetError, or data too small to split
                    errors[key] = str(error)
            problem = errors.get(key) or _mismatch(unit.params, data[key])
            if problem:
                report(UnitOutcome(unit.id, "failed", error=problem))
            else:
                runnable.append(unit)
        return data, runnable


def _history(block: TuneSpec, units: list[Unit], ctx: RunContext) -> dict[str, list]:
    """Per Optuna study, the (configuration, objective) of its trials that finished in
    earlier runs, in trial order, from the results file: what a resumed study replays."""
    if ctx.store is None or not any(is_optuna(u) for u in units):
        return {}
    from benchrun.engine.plan import trial_units

    todo = {u.id for u in units}
    earlier = [u for u in trial_units(block) if u.kind == TRIAL and is_optuna(u) and u.id not in todo]
    if not earlier:
        return {}
    rows = ctx.store.query(
        "SELECT unit_id, summary FROM unit_results WHERE unit_id IN (SELECT unnest(?::VARCHAR[]))",
        [[u.id for u in earlier]],
    )
    summaries = {unit_id: json.loads(summary) for unit_id, summary in rows if summary}
    history: dict[str, list] = {}
    for unit in sorted(earlier, key=lambda u: u.params["config"]["optuna_trial"]):
        summary = summaries.get(unit.id)
        if summary and summary.get("config"):
            history.setdefault(study_key(unit), []).append((summary["config"], summary.get("best_value")))
    return history


def _mismatch(params: dict[str, Any], data: Prepared) -> str | None:
    try:
        task = task_of(params["algorithm"])
    except AlgorithmError as error:
        return str(error)
    if task != data.task:
        return f"{params['algorithm']} needs a {task} data set; {params['dataset']['name']} is {data.task}"
    return None


def _fail(units: list[Unit], error: str, report: Report) -> None:
    for unit in units:
        report(UnitOutcome(unit.id, "failed", error=error))
