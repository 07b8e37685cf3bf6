"""The Ray executor: trials as Ray Tune trials.

Grid and random points are fixed by the plan, so every unit becomes one trial of a
`grid_search` over the units. Optuna chooses its points at run time: each (data set,
algorithm) pair is one Optuna study of `samples` trials, and the k-th trial Tune starts is
bound to the k-th unit. Data sets are split and scaled once on the driver and shared with
the trials through Ray's object store (zero-copy, so they count as shared memory and not
as the trial's). Results stream back to the driver, where a Tune callback logs them and
reports each unit's outcome.
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

from benchrun.engine.units import RunContext, Unit, UnitOutcome
from benchrun.grammar.spec import Distribution, TuneSpec, options_dict
from benchrun.tuning.stoppers import SUMMARY, RuleStopper
from benchrun.tuning.trainable import Prepared, metric_rows, run_trial, summarize

# Tune's per-trial CSV/JSON/TensorBoard files and its SIGINT handler are not wanted:
# metrics go to the store, and Ctrl-C is the run loop's (it sets ctx.stop).
os.environ.setdefault("TUNE_DISABLE_AUTO_CALLBACK_LOGGERS", "1")
os.environ.setdefault("TUNE_DISABLE_SIGINT_HANDLER", "1")
# The final result of a trial that diverged before its first evaluation has no metric.
os.environ.setdefault("TUNE_DISABLE_STRICT_METRIC_CHECKING", "1")
os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")
# With the per-trial result files off, Tune's closing result summary has nothing to read.
logging.getLogger("ray.tune.analysis.experiment_analysis").setLevel(logging.ERROR)


SAMPLERS = {"tpe": "TPESampler", "random": "RandomSampler", "cmaes": "CmaEsSampler"}


def ensure_ray(options: dict[str, Any]) -> None:
    """Start a local Ray (all cores) or connect to `address`, once per process."""
    if ray.is_initialized():
        return
    common = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
    if options.get("address"):
        ray.init(address=options["address"], **common)
    else:
        ray.init(num_cpus=os.cpu_count(), **common)


def run_ray(block: TuneSpec, units: list[Unit], data: dict[str, Prepared], data_key: Callable[[dict], str],
            ctx: RunContext, report: Callable[[UnitOutcome], None]) -> None:
    options = options_dict(block.executor.options)
    ensure_ray(options)
    if block.search.method == "optuna":
        groups: dict[tuple, list[Unit]] = {}
        for unit in sorted(units, key=lambda u: u.params["config"].get("optuna_trial", 0)):
            groups.setdefault((data_key(unit.params), unit.params["algorithm"]), []).append(unit)
        batches = list(groups.values())
    else:
        batches = [units]
    for batch in batches:
        if ctx.stop.is_set():
            return
        _fit(block, batch, data, data_key, options, ctx, report)


def _fit(block, units, data, data_key, options, ctx, report) -> None:
    search_options = options_dict(block.search.options)
    optuna = block.search.method == "optuna"
    stopper = RuleStopper(units[0].params["stop"], block.metric, block.mode, ctx.stop)
    stream = _Stream(units, stopper, ctx, report)
    if optuna:
        import optuna.samplers
        from ray.tune.search.optuna import OptunaSearch

        template = {**units[0].params, "config": {}}
        space: dict[str, Any] = {"unit": {"params": template}, **_search_space(block)}
        sampler = SAMPLERS[search_options.get("sampler", "tpe")]
        search_alg = OptunaSearch(sampler=getattr(optuna.samplers, sampler)(seed=block.seed))
    else:
        space = {"unit": tune.grid_search([{"id": u.id, "params": u.params} for u in units])}
        search_alg = None
    scheduler = None
    if search_options.get("scheduler") == "asha":
        from ray.tune.schedulers import ASHAScheduler

        scheduler = ASHAScheduler(
            time_attr="training_iteration", max_t=int(search_options.get("max_t", 1 << 30)),
            grace_period=int(search_options.get("grace_period", 1)),
            reduction_factor=float(search_options.get("reduction_factor", 4)),
        )
    needed = {data_key(u.params): data[data_key(u.params)] for u in units}
    trainable = tune.with_resources(
        tune.with_parameters(_ray_trial, data=needed), {"cpu": float(options.get("cpus_per_trial", 1))}
    )
    storage = tempfile.mkdtemp(prefix="benchrun-ray-")
    try:
        tune.Tuner(
            trainable,
            param_space=space,
            tune_config=tune.TuneConfig(
                metric=block.metric, mode=block.mode, search_alg=search_alg, scheduler=scheduler,
                num_samples=len(units) if optuna else 1,
                max_concurrent_trials=ctx.concurrency or options.get("max_concurrent"),
                # Ray's default for function trainables: a worker runs trial after trial
                # (half the wall time on short trials). `reuse_actors = false` gives each
                # trial a fresh process, whose memory figures carry no earlier trial's heap.
                reuse_actors=bool(options.get("reuse_actors", True)),
                trial_name_creator=_trial_name, trial_dirname_creator=_trial_name,
            ),
            run_config=tune.RunConfig(
                name="benchrun", storage_path=storage, stop=stopper, callbacks=[stream], verbose=0,
                failure_config=tune.FailureConfig(max_failures=0, fail_fast=ctx.fail_fast),
            ),
        ).fit()
    finally:
        shutil.rmtree(storage, ignore_errors=True)


def _trial_name(trial) -> str:
    return trial.trial_id


def _search_space(block: TuneSpec) -> dict[str, Any]:
    """The spec's search space as Tune domains, for Optuna to sample."""
    space = {}
    for param in block.search.space:
        domain = param.domain
        if not isinstance(domain, Distribution):
            space[param.name] = tune.choice(list(domain.values))
        elif domain.kind == "randint":  # the spec's bounds are inclusive, Tune's upper is not
            space[param.name] = tune.randint(domain.args[0], domain.args[1] + 1)
        elif domain.kind == "choice":
            space[param.name] = tune.choice(list(domain.args[0]))
        else:
            space[param.name] = getattr(tune, domain.kind)(*domain.args)
    return space


def _ray_trial(config: dict[str, Any], data: dict[str, Prepared]) -> None:
    """The Ray Tune function trainable: one unit's trial, reporting each evaluation."""
    from benchrun.tuning.workload import data_key

    params = _trial_params(config)
    summary = run_trial(params, data[data_key(params)], lambda result: tune.report(result))
    # One last result carrying the summary (and the objective, which Tune's searchers read).
    last = {k: v for k, v in summary.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    tune.report({**last, "step": summary["steps"], SUMMARY: json.dumps(summary)})


def _trial_params(config: dict[str, Any]) -> dict[str, Any]:
    """A unit's params; for Optuna, with the configuration it sampled."""
    params = dict(config["unit"]["params"])
    sampled = {k: v for k, v in config.items() if k != "unit"}
    if sampled:
        params["config"] = sampled
    return params


class _Stream(tune.Callback):
    """Driver side of the trials: logs metrics, reports outcomes."""

    def __init__(self, units: list[Unit], stopper: RuleStopper, ctx: RunContext, report) -> None:
        self.units = {u.id: u for u in units}
        self.unbound = [u.id for u in units]  # Optuna trials are bound to units as they start
        self.bound: dict[str, str] = {}  # trial id -> unit id
        self.last: dict[str, dict[str, Any]] = {}
        self.summaries: dict[str, dict[str, Any]] = {}
        self.stopper, self.ctx, self.report = stopper, ctx, report

    def __getstate__(self) -> dict[str, Any]:
        # Tune pickles its run config into the experiment state; the run context (locks,
        # the store) stays with the live callback.
        return {}

    def _unit(self, trial) -> str:
        if trial.trial_id not in self.bound:
            unit = trial.config["unit"]
            self.bound[trial.trial_id] = unit["id"] if "id" in unit else self.unbound.pop(0)
            if "id" in unit:
                self.unbound.remove(unit["id"])
        return self.bound[trial.trial_id]

    def on_trial_start(self, iteration, trials, trial, **info) -> None:
        self._unit(trial)

    def on_trial_result(self, iteration, trials, trial, result, **info) -> None:
        unit_id = self._unit(trial)
        if SUMMARY in result:
            self.summaries[unit_id] = json.loads(result[SUMMARY])
            return
        self.ctx.log_metrics(unit_id, metric_rows(result))
        self.last[unit_id] = result

    def on_trial_complete(self, iteration, trials, trial, **info) -> None:
        unit_id = self._unit(trial)
        unit = self.units[unit_id]
        summary = self.summaries.get(unit_id)
        if summary is None:
            last = self.last.get(unit_id, {})
            if trial.trial_id in self.stopper.stopped:
                reason, step = self.stopper.stopped[trial.trial_id]
            elif self.ctx.stop.is_set():
                return  # interrupted: not reported, so a resumed run trains it again
            else:  # ended by the scheduler (ASHA)
                reason, step = "scheduler", last.get("step")
            summary = summarize(last, reason, step, requested_batch=_trial_params(trial.config)["config"].get("batch_size", 0))
        if unit.params["config"].get("optuna_trial") is not None:
            summary["config"] = {k: v for k, v in trial.config.items() if k != "unit"}
        self.report(UnitOutcome(unit_id, "done", summary=summary))

    def on_trial_error(self, iteration, trials, trial, **info) -> None:
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
