"""Where a tune block's trials run, each executor declared once with its options.

`executor local(max_concurrent = 2)` / `executor ray(cpus_per_trial = 1)` in a spec is
checked against these. An executor changes how trials run, not what they compute: no
option here enters a unit's id (a trial gives the same numbers on both executors,
tests/tuning/test_tuning_ray.py). The pool and Ray are imported when a block runs.
A plugin adds an executor through the entry-point group `benchrun.executors`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from benchrun.raycluster import ADDRESS, RESULT_FREE, SHIP_BENCHRUN
from benchrun.registry import Entry, Flag, Int, Number, Option, Registry, Text


@attrs.frozen(kw_only=True)
class Executor(Entry):
    """`run(block, units, history, ctx, report, cache_dir)`: run a block's trial units,
    calling `report` once per unit as it ends. `block` is the TuneSpec (its
    `executor.options` as given; `options(block)` fills in the defaults), `history` the
    adaptive searches' earlier trials for `feed.Feed`, `cache_dir` the PMLB cache."""

    run: Callable[..., None]

    def settings(self, block: Any) -> dict[str, Any]:
        """The block's executor options with the defaults filled in."""
        return {**self.defaults(), **dict(block.executor.options)}


MAX_CONCURRENT = Option("max_concurrent", Int(1, 10_000), "trials at once (default: one per CPU; "
                        "`benchrun run --concurrency` overrides it)", **RESULT_FREE)


def _local(block: Any, units: list, history: dict, ctx: Any, report: Callable, cache_dir: str | None) -> None:
    from benchrun.tuning.feed import Feed
    from benchrun.tuning.local import default_workers, run_local

    options = LOCAL.settings(block)
    cpus = max(1, int(options.get("cpus_per_trial", 1)))
    workers = int(ctx.concurrency or options.get("max_concurrent") or default_workers(cpus))
    with Feed(units, history, block, ctx, cache_dir) as feed:
        run_local(feed, ctx, report, workers=workers, cpus_per_trial=cpus, cache_dir=cache_dir, block=block)


def _ray(block: Any, units: list, history: dict, ctx: Any, report: Callable, cache_dir: str | None) -> None:
    from benchrun.engine.units import UnitOutcome
    from benchrun.raycluster import RayClusterError
    from benchrun.tuning.feed import Feed
    from benchrun.tuning.raytune import prepare_all, run_ray  # imports Ray only when used
    from benchrun.tuning.trainable import data_key

    data, runnable = prepare_all(units, report, cache_dir)
    if runnable:
        try:
            with Feed(runnable, history, block, ctx, cache_dir) as feed:
                run_ray(block, feed, data, data_key, ctx, report, RAY.settings(block))
        except RayClusterError as error:  # no trial started: each unit fails with what to fix
            for unit in runnable:
                report(UnitOutcome(unit.id, "failed", error=str(error)))


LOCAL = Executor(
    name="local", doc="a pool of worker processes forked from a server that has imported the trial code; no Ray",
    options=(MAX_CONCURRENT,), run=_local)
RAY = Executor(
    name="ray", doc="Ray Tune trials: a local Ray on all cores, or the cluster at `address`",
    options=(MAX_CONCURRENT,
             Option("cpus_per_trial", Number(0.01, 1024), "CPUs Ray reserves per trial", 1.0, **RESULT_FREE),
             ADDRESS,
             Option("storage", Text(), "Ray Tune's folder: a path every node shares, or a cloud URI "
                    "(default: a temporary folder on the driver)", **RESULT_FREE),
             Option("max_failures", Int(0, 100), "times a trial whose worker or node died is run again", 3,
                    **RESULT_FREE),
             SHIP_BENCHRUN,
             Option("reuse_actors", Flag(), "a worker process runs trial after trial (false: a fresh one each)",
                    True, **RESULT_FREE)),
    run=_ray)

EXECUTORS: Registry[Executor] = Registry("executors", "executor", Executor, {
    "local": "benchrun.tuning.executors:LOCAL",
    "ray": "benchrun.tuning.executors:RAY",
})
