"""The Ray executor: trials as Ray Tune trials.

A block is one Tuner whose searcher hands out the block's units in order (`FeedSearcher`
over a `Feed`): units of a fixed-point search (grid, random) with their configuration,
those of an adaptive one (optuna) with the one benchrun's study proposes. Stop rules and
ASHA run in the driver's stopper. Data sets are split and scaled once on the driver and
shared with the trials through Ray's object store, one object per data set: a node
fetches a data set the first time one of its trials needs it and its trials map that one
copy (zero-copy, so it counts as shared memory and not as the trial's). Results stream
back to the driver, where a Tune callback logs them and reports each unit's outcome; the
driver alone writes the results file.

On a cluster (`address`): the connection follows each block's address; benchrun is
shipped to the workers as a runtime environment (`py_modules`) unless `ship_benchrun =
false`, and every node is checked before the first trial (a node that cannot import
benchrun fails the block's units with its name). A trial whose worker or node dies is run
again, from its start, on a node still alive (`max_failures` times): metrics the lost
attempt already logged are not logged twice, and its unit is reported once.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ray
from ray import tune
from ray.tune.search import Searcher

from benchrun.engine.units import RunContext, Unit, UnitOutcome
from benchrun.raycluster import connect, first_line
from benchrun.tuning.algorithms import AlgorithmError, task_of
from benchrun.tuning.feed import Feed
from benchrun.tuning.spec import TuneSpec
from benchrun.tuning.stoppers import ERROR, SUMMARY, RuleStopper
from benchrun.tuning.stopping.services import DriverServices
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


log = logging.getLogger(__name__)

# What a trial imports on a node: checked on every node of a cluster before the first trial.
TRIAL_IMPORTS = ("sklearn", "benchrun.tuning.trainable")


def connect_block(options: dict[str, Any]) -> None:
    """Start a local Ray (all cores), or connect to the block's `address` (again when
    the previous block was elsewhere) and check that every node can run a trial."""
    connect(options.get("address") or None, ship_benchrun=options.get("ship_benchrun", True),
            node_imports=TRIAL_IMPORTS)


def _storage(options: dict[str, Any], ctx: RunContext, block: TuneSpec) -> tuple[str, str, str | None]:
    """(storage path, experiment name, the folder to delete after the run, if any).
    Tune's folder holds no results of benchrun's (they stream to the driver), only its own
    state and error files: a temporary folder on the driver by default, `storage` for a
    shared folder or a cloud URI (left in place) that every node can write."""
    name = "benchrun-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{ctx.run_id}-{block.name}")
    storage = options.get("storage")
    if not storage:
        folder = tempfile.mkdtemp(prefix="benchrun-ray-")
        return folder, name, folder
    if "://" in storage:
        return storage, name, None
    Path(storage).mkdir(parents=True, exist_ok=True)
    return str(Path(storage).resolve()), name, str(Path(storage).resolve() / name)


def run_ray(block: TuneSpec, feed: Feed, data: dict[str, Prepared], data_key: Callable[[dict], str],
            ctx: RunContext, report: Callable[[UnitOutcome], None], options: dict[str, Any]) -> None:
    """One Tuner for the block: every trial's unit and configuration comes from `feed`.
    `options`: the executor's, defaults filled in (benchrun.tuning.executors.RAY)."""
    connect_block(options)
    units = list(feed.units)
    params = units[0].params
    services = DriverServices(params["stop"], block, ctx)  # the contextual rules' board and judge
    stopper = RuleStopper(params["stop"], block.metric, block.mode, ctx.stop, params["search"].get("scheduler"), services)
    stream = _Stream(units, feed, stopper, ctx, report)
    refs = {key: ray.put(prepared) for key, prepared in data.items()}  # one object per data set
    trainable = tune.with_resources(
        tune.with_parameters(_ray_trial, data=refs), {"cpu": float(options["cpus_per_trial"])}
    )
    storage, name, remove = _storage(options, ctx, block)
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
                name=name, storage_path=storage, stop=stopper, callbacks=[stream], verbose=0,
                # A trial's own error is a result (see _ray_trial), so what Tune retries is a
                # worker or node that died; --fail-fast is the run loop's (it sets ctx.stop).
                failure_config=tune.FailureConfig(max_failures=int(options.get("max_failures", 0)), fail_fast=False),
            ),
        ).fit()
    finally:
        if remove:
            shutil.rmtree(remove, ignore_errors=True)
        refs.clear()  # the data sets leave the object store
        services.close()
        stream.tell(ctx)


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
            return Searcher.FINISHED if self.feed.exhausted else None  # type: ignore[return-value]  # Ray's sentinel
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


def _ray_trial(config: dict[str, Any], data: dict[str, Any]) -> None:
    """The Ray Tune function trainable: one unit's trial, reporting each evaluation.

    `data` maps each data key to its object in the object store (fetched once per node).
    An error of the trial itself (a configuration that cannot train) is reported as the
    trial's last result, not raised: Tune re-runs only trials whose worker or node died."""
    params = _trial_params(config)
    try:
        prepared = data[data_key(params)]
        prepared = ray.get(prepared) if isinstance(prepared, ray.ObjectRef) else prepared
        summary = run_trial(params, prepared, lambda result: tune.report(result))
    except Exception as error:  # noqa: BLE001 - reported as the unit's failure
        tune.report({ERROR: f"{type(error).__name__}: {error}"})
        return
    # One last result carrying the summary (and the objective, which Tune's searchers read).
    last = {k: v for k, v in summary.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    tune.report({**last, "step": summary["steps"], SUMMARY: json.dumps(summary)})


def _trial_params(config: dict[str, Any]) -> dict[str, Any]:
    """The params the trial trains: the unit's, with an adaptive search's proposed configuration."""
    return config["unit"]["params"]


class _Stream(tune.Callback):
    """Driver side of the trials: logs metrics, reports outcomes, once per unit.

    A trial Tune runs again after its worker or node died starts from step 1: the metric
    rows of steps its lost attempt already logged are not logged again (a trial is
    deterministic, so they are the same numbers but for the system metrics; the rows
    kept are the first attempt's), nor does the stopper judge those steps twice."""

    def __init__(self, units: list[Unit], feed: Feed, stopper: RuleStopper, ctx: RunContext, report) -> None:
        self.units = {u.id: u for u in units}
        self.feed = feed
        self.last: dict[str, dict[str, Any]] = {}
        self.summaries: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}
        self.logged: dict[str, int] = {}  # unit id -> last step whose metrics were logged
        self.started: set[str] = set()  # units whose trial Tune has started
        self.rerun: dict[str, int] = {}  # unit id -> times Tune started it again
        self.reported: dict[str, str] = {}  # unit id -> done / failed
        self.stopper, self.ctx, self.report = stopper, ctx, report

    def __getstate__(self) -> dict[str, Any]:
        # Tune pickles its run config into the experiment state; the run context (locks,
        # the store) stays with the live callback.
        return {}

    def _unit(self, trial) -> str:
        return trial.config["unit"]["id"]

    def _outcome(self, outcome: UnitOutcome) -> None:
        if outcome.unit_id in self.reported:  # Tune may end a trial twice when its node is lost
            return
        self.reported[outcome.unit_id] = outcome.status
        self.feed.finished(outcome.unit_id, outcome.summary if outcome.status == "done" else None)
        self.report(outcome)

    def on_trial_result(self, iteration, trials, trial, result, **info) -> None:
        unit_id = self._unit(trial)
        if ERROR in result:
            self.errors[unit_id] = result[ERROR]
            return
        if SUMMARY in result:
            self.summaries[unit_id] = json.loads(result[SUMMARY])
            return
        done = self.logged.get(unit_id, 0)
        rows = [row for row in metric_rows(result) if row[0] > done]
        if rows:
            self.ctx.log_metrics(unit_id, rows)
        if int(result["step"]) > done:
            self.logged[unit_id] = int(result["step"])
            self.last[unit_id] = result

    def on_trial_start(self, iteration, trials, trial, **info) -> None:
        # Counted here, not in on_trial_recover: Tune also starts a trial again without
        # telling it was lost (an actor gone with its node before the failure was seen).
        unit_id = self._unit(trial)
        if unit_id in self.started:
            self.rerun[unit_id] = self.rerun.get(unit_id, 0) + 1
        self.started.add(unit_id)

    def on_trial_recover(self, iteration, trials, trial, **info) -> None:
        log.warning("trial of unit %s lost its worker (%s); Ray Tune runs it again",
                    self._unit(trial), _error_text(trial))

    def on_trial_complete(self, iteration, trials, trial, **info) -> None:
        unit_id = self._unit(trial)
        if unit_id in self.errors:
            return self._outcome(UnitOutcome(unit_id, "failed", error=self.errors[unit_id]))
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
        self._outcome(UnitOutcome(unit_id, "done", summary=summary))

    def on_trial_error(self, iteration, trials, trial, **info) -> None:
        unit_id = self._unit(trial)
        tries = self.rerun.get(unit_id, 0)
        error = _error_text(trial) + (f" (after {tries} re-run(s) of the trial)" if tries else "")
        self._outcome(UnitOutcome(unit_id, "failed", error=error))

    def tell(self, ctx: RunContext) -> None:
        """What the run says at the end about trials Ray Tune had to run again."""
        if not self.rerun:
            return
        lost = sum(self.rerun.values())
        ended = Counter(self.reported.get(unit_id, "not reported") for unit_id in self.rerun)
        text = ", ".join(f"{count} {state}" for state, count in sorted(ended.items()))
        ctx.notes.append(
            f"Ray: {lost} trial attempt(s) of {len(self.rerun)} unit(s) were lost with their worker or node and run "
            f"again elsewhere ({text}); the metrics of each lost attempt were kept once, not duplicated"
        )


def _error_text(trial) -> str:
    """The last line of the trial's traceback: the exception and its message."""
    path = getattr(trial, "error_file", None) or ""
    try:
        with open(path) as handle:
            lines = [line.strip() for line in handle if line.strip()]
        return lines[-1] if lines else "trial failed"
    except OSError:
        message = getattr(trial, "error_msg", "") or "no error recorded"
        return f"trial failed: {first_line(RuntimeError(message))}"
