"""The Ray executor: trials as Ray Tune trials.

A block is one Tuner whose searcher hands out the block's units in order (`FeedSearcher`
over a `Feed`): units of a fixed-point search (grid, random) with their configuration,
those of an adaptive one (optuna) with the one benchrun's study proposes. Stop rules and
ASHA run in the driver's stopper. Data sets are split and scaled once on the driver and
shared with the trials through Ray's object store (zero-copy, so they count as shared
memory and not as the trial's). Results stream back to the driver, where a Tune callback
logs them and reports each unit's outcome.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import ray
from ray import tune
from ray.tune.search import Searcher

from benchrun.engine.units import RunContext, Unit, UnitOutcome
from benchrun.tuning.algorithms import AlgorithmError, task_of
from benchrun.tuning.feed import Feed
from benchrun.tuning.spec import TuneSpec
from benchrun.tuning.stoppers import SUMMARY, RuleStopper
from benchrun.tuning.trainable import Prepared, data_key, metric_rows, prepare, run_trial, summarize

# Tune's per-trial CSV/JSON/TensorBoard files and its SIGINT handler are not wanted:
# metrics go to the store, and Ctrl-C is the run loop's (it sets ctx.stop).
os.environ.setdefault("TUNE_DISABLE_AUTO_CALLBACK_LOGGERS", "1")
os.environ.setdefault("TUNE_DISABLE_SIGINT_HANDLER", "1")
# The final result of a trial that diverged before its first evaluation has no metric.
os.environ.setdefault("TUNE_DISABLE_STRICT_METRIC_CHECKING", "1")
os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")
# With the per-trial result files off, Tune's closing result summary has nothing to read.
logging.getLogger("ray.tune.analysis.experiment_analysis").setLevel(logging.ERROR)


def ensure_ray(options: dict[str, Any]) -> None:
    """Start a local Ray (all cores) or connect to `address`, once per process."""
    if ray.is_initialized():
        return
    common = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
    if options.get("address"):
        ray.init(address=options["address"], **common)
    else:
        ray.init(num_cpus=os.cpu_count(), **common)


def run_ray(block: TuneSpec, feed: Feed, data: dict[str, Prepared], data_key: Callable[[dict], str],
            ctx: RunContext, report: Callable[[UnitOutcome], None], options: dict[str, Any]) -> None:
    """One Tuner for the block: every trial's unit and configuration comes from `feed`.
    `options`: the executor's, defaults filled in (benchrun.tuning.executors.RAY)."""
    ensure_ray(options)
    units = list(feed.units)
    params = units[0].params
    stopper = RuleStopper(params["stop"], block.metric, block.mode, ctx.stop, params["search"].get("scheduler"))
    stream = _Stream(units, feed, stopper, ctx, report)
    trainable = tune.with_resources(
        tune.with_parameters(_ray_trial, data=data), {"cpu": float(options["cpus_per_trial"])}
    )
    storage = tempfile.mkdtemp(prefix="benchrun-ray-")
    try:
        tune.Tuner(
            trainable,
            tune_config=tune.TuneConfig(
                metric=block.metric, mode=block.mode, search_alg=FeedSearcher(feed, block.metric, block.mode),
                num_samples=len(units),
                max_concurrent_trials=ctx.concurrency or options.get("max_concurrent"),
                # Ray's default for function trainables: a worker runs trial after trial
                # (half the wall time on short trials). `reuse_actors = false` gives each
                # trial a fresh process.
                reuse_actors=bool(options["reuse_actors"]),
                trial_name_creator=_trial_name, trial_dirname_creator=_trial_name,
            ),
            run_config=tune.RunConfig(
                name="benchrun", storage_path=storage, stop=stopper, callbacks=[stream], verbose=0,
                failure_config=tune.FailureConfig(max_failures=0, fail_fast=ctx.fail_fast),
            ),
        ).fit()
    finally:
        shutil.rmtree(storage, ignore_errors=True)


def prepare_all(units: list[Unit], report: Callable[[UnitOutcome], None],
                cache_dir: str | None) -> tuple[dict[str, Prepared], list[Unit]]:
    """Load and split each data set once, on the driver (the trials share it through the
    object store); fail the units whose data set or algorithm cannot work."""
    data: dict[str, Prepared] = {}
    errors: dict[str, str] = {}
    runnable = []
    for unit in units:
        key = data_key(unit.params)
        if key not in data and key not in errors:
            try:
                data[key] = prepare(unit.params["dataset"], unit.params["split"], unit.params["seed"], cache_dir)
            except ValueError as error:  # DatasetError, or data too small to split
                errors[key] = str(error)
        problem = errors.get(key) or _mismatch(unit.params, data[key])
        if problem:
            report(UnitOutcome(unit.id, "failed", error=problem))
        else:
            runnable.append(unit)
    return data, runnable


def _mismatch(params: dict[str, Any], data: Prepared) -> str | None:
    try:
        task = task_of(params["algorithm"])
    except AlgorithmError as error:
        return str(error)
    if task != data.task:
        return f"{params['algorithm']} needs a {task} data set; {params['dataset']['name']} is {data.task}"
    return None


class FeedSearcher(Searcher):
    """Ray Tune's view of a `Feed`: each suggestion is the next unit with its configuration
    (for an adaptive search, asked from benchrun's study; the study is told by `_Stream`)."""

    def __init__(self, feed: Feed, metric: str, mode: str) -> None:
        super().__init__(metric=metric, mode=mode)
        self.feed = feed

    def suggest(self, trial_id: str) -> dict[str, Any] | None:
        started = self.feed.next()
        if started is None:  # None: Tune asks again later (a study waits for trials to end)
            return Searcher.FINISHED if self.feed.exhausted else None
        unit, params = started
        return {"unit": {"id": unit.id, "params": params}}

    def on_trial_complete(self, trial_id: str, result: dict | None = None, error: bool = False) -> None:
        pass  # the study is told by _Stream, which has the trial's summary

    def __getstate__(self) -> dict[str, Any]:
        # Tune pickles its configuration into the experiment state; the feed (locks, the
        # studies) stays with the live searcher.
        return {k: v for k, v in self.__dict__.items() if k != "feed"}

    def save(self, checkpoint_path: str) -> None:
        pass  # nothing to keep: a search's history lives in the results file

    def restore(self, checkpoint_path: str) -> None:
        pass


def _trial_name(trial) -> str:
    return trial.trial_id


def _ray_trial(config: dict[str, Any], data: dict[str, Prepared]) -> None:
    """The Ray Tune function trainable: one unit's trial, reporting each evaluation."""
    params = _trial_params(config)
    summary = run_trial(params, data[data_key(params)], lambda result: tune.report(result))
    # One last result carrying the summary (and the objective, which Tune's searchers read).
    last = {k: v for k, v in summary.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    tune.report({**last, "step": summary["steps"], SUMMARY: json.dumps(summary)})


def _trial_params(config: dict[str, Any]) -> dict[str, Any]:
    """The params the trial trains: the unit's, with an adaptive search's proposed configuration."""
    return config["unit"]["params"]


class _Stream(tune.Callback):
    """Driver side of the trials: logs metrics, reports outcomes."""

    def __init__(self, units: list[Unit], feed: Feed, stopper: RuleStopper, ctx: RunContext, report) -> None:
        self.units = {u.id: u for u in units}
        self.feed = feed
        self.last: dict[str, dict[str, Any]] = {}
        self.summaries: dict[str, dict[str, Any]] = {}
        self.stopper, self.ctx, self.report = stopper, ctx, report

    def __getstate__(self) -> dict[str, Any]:
        # Tune pickles its run config into the experiment state; the run context (locks,
        # the store) stays with the live callback.
        return {}

    def _unit(self, trial) -> str:
        return trial.config["unit"]["id"]

    def on_trial_result(self, iteration, trials, trial, result, **info) -> None:
        unit_id = self._unit(trial)
        if SUMMARY in result:
            self.summaries[unit_id] = json.loads(result[SUMMARY])
            return
        self.ctx.log_metrics(unit_id, metric_rows(result))
        self.last[unit_id] = result

    def on_trial_complete(self, iteration, trials, trial, **info) -> None:
        unit_id = self._unit(trial)
        summary = self.summaries.get(unit_id)
        if summary is None:
            last = self.last.get(unit_id, {})
            if trial.trial_id in self.stopper.stopped:
                reason, step = self.stopper.stopped[trial.trial_id]
            elif self.ctx.stop.is_set():
                return  # interrupted: not reported, so a resumed run trains it again
            else:
                return  # ended by Tune without a reason of ours: not reported, so it runs again
            summary = summarize(last, reason, step, config=_trial_params(trial.config)["config"])
        self.feed.finished(unit_id, summary)
        self.report(UnitOutcome(unit_id, "done", summary=summary))

    def on_trial_error(self, iteration, trials, trial, **info) -> None:
        self.feed.finished(self._unit(trial), None)
        self.report(UnitOutcome(self._unit(trial), "failed", error=_error_text(trial)))


def _error_text(trial) -> str:
    """The last line of the trial's traceback: the exception and its message."""
    path = getattr(trial, "error_file", None) or ""
    try:
        with open(path) as handle:
            lines = [line.strip() for line in handle if line.strip()]
        return lines[-1] if lines else "trial failed"
    except OSError:
        return f"trial failed: {getattr(trial, 'error_msg', '') or 'no error recorded'}"
