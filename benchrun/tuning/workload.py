"""The tuning workload: runs trial units on the block's executor (benchrun.tuning.executors:
a local pool or Ray Tune).

Each tune block's units run together, with the executor settings of that block's
`TuneSpec` (they are not in the units' params because they do not change results).
Problems that doom a unit before it runs — an unknown metric or rule in the stop rule, an
unknown search method or executor, a data set that cannot be loaded, an algorithm that
does not fit the data set's task — fail only the units concerned, with a message that
says what to fix; the other units run.
"""
from __future__ import annotations

import json
import os

from benchrun.engine.units import Report, RunContext, Unit, UnitOutcome
from benchrun.registry import UnknownEntry
from benchrun.tuning.datasets import PMLB_CACHE_ENV
from benchrun.tuning.executors import EXECUTORS
from benchrun.tuning.feed import study_key, trial_index
from benchrun.tuning.plan import TRIAL, trial_units
from benchrun.tuning.rules import RuleError, check_rule
from benchrun.tuning.search import SEARCHES
from benchrun.tuning.spec import TuneSpec


class TuneWorkload:
    kind = TRIAL

    def __init__(self, pmlb_cache: str | None = None) -> None:
        self.pmlb_cache = pmlb_cache or os.environ.get(PMLB_CACHE_ENV)

    def run_block(self, block: TuneSpec, units: list[Unit], ctx: RunContext, report: Report) -> None:
        try:
            check_rule(units[0].params["stop"])
            SEARCHES.get(units[0].params["search"]["method"])
            executor = EXECUTORS.get(block.executor.kind)
        except (RuleError, UnknownEntry) as error:
            return _fail(units, str(error), report)
        executor.run(block, units, _history(block, units, ctx), ctx, report, self.pmlb_cache)


def _history(block: TuneSpec, units: list[Unit], ctx: RunContext) -> dict[str, list]:
    """Per adaptive study, the (configuration, summary) of its trials that finished in
    earlier runs, in trial order, from the results file: what a resumed study replays."""
    if ctx.store is None or all(trial_index(u) is None for u in units):
        return {}
    todo = {u.id for u in units}
    earlier = [u for u in trial_units(block) if u.kind == TRIAL and trial_index(u) is not None and u.id not in todo]
    if not earlier:
        return {}
    rows = ctx.store.query(
        "SELECT unit_id, summary FROM unit_results WHERE unit_id IN (SELECT unnest(?::VARCHAR[]))",
        [[u.id for u in earlier]],
    )
    summaries = {unit_id: json.loads(summary) for unit_id, summary in rows if summary}
    history: dict[str, list] = {}
    for unit in sorted(earlier, key=lambda u: trial_index(u) or 0):  # each has an index (filtered above)
        summary = summaries.get(unit.id)
        if summary and summary.get("config"):
            history.setdefault(study_key(unit), []).append((summary["config"], summary))
    return history


def _fail(units: list[Unit], error: str, report: Report) -> None:
    for unit in units:
        report(UnitOutcome(unit.id, "failed", error=error))
