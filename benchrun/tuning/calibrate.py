"""A tune block's CPU time, estimated from a short calibration (`benchrun plan --estimate`).

Nothing here runs a whole trial. Per (data set, algorithm) of the block the data set is
loaded and split as a trial would (with the block's folds), and then, with the trial's own
code (`trainable.make_learners`), a few steps are timed at the grid's batch sizes, from
the smallest up (about 0.1 CPU-s each), and a few evaluations. CPU time (`time.process_time`), not wall time, so
the figure does not depend on what else the machine runs. The extrapolation:

    trial CPU = steps x CPU per step (all folds, with its train_loss) + evaluations x CPU per evaluation

with steps = epochs x ceil(training rows / batch) and one evaluation every `evaluate every`
steps and at the end. A batch size too large to time cheaply (one step costing more than
`STEP_BUDGET_S`) is extrapolated from the largest one timed at its cost per row. The
estimate assumes that every trial runs its whole budget (no stop rule fires, no
divergence) and that the learning rate and alpha do not change a step's cost (they change
no array's size); a held-out evaluation of a cross-validated search is counted as one more
trial on the whole training part. It is an estimate: `report rq1` gives the measured one.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import attrs

from benchrun.engine.units import Unit
from benchrun.jsonkey import canonical_json
from benchrun.tuning.plan import HOLDOUT, TRIAL
from benchrun.tuning.spec import TuneSpec
from benchrun.tuning.trainable import Prepared, batch_plan, data_key, make_learners, prepare

TIMING_BUDGET_S = 0.1  # CPU seconds of steps timed per batch size (at least MIN_STEPS steps)
MIN_STEPS, MAX_STEPS = 3, 200
STEP_BUDGET_S = 0.5  # larger batches than one whose step costs this much are extrapolated


@attrs.frozen
class PairCost:
    """What the calibration measured for one (data set, algorithm) and what it estimates."""

    dataset: str
    algorithm: str
    train_rows: int
    folds: int
    load_cpu_s: float  # loading and splitting the data set once
    eval_cpu_s: float  # one evaluation, all folds
    step_cpu_s: dict[int, float]  # batch size (used) -> CPU seconds of one step, all folds (measured or extrapolated)
    measured: tuple[int, ...]  # the batch sizes timed
    trials: int
    steps: int
    cpu_s: float  # every trial of the pair, and its held-out evaluation
    reused: bool = False  # timed for an earlier block of the spec on the same data set and batch sizes


def estimate(block: TuneSpec, units: list[Unit], cache_dir: str | None = None,
             progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The block's estimated CPU time, per (data set, algorithm); JSON-able, for `benchrun plan`."""
    began_wall, began_cpu = time.perf_counter(), time.process_time()
    trials = [u for u in units if u.kind == TRIAL]
    holdouts = {(u.params["dataset"]["name"], u.params["algorithm"]) for u in units if u.kind == HOLDOUT}
    pairs: dict[tuple[str, str], list[Unit]] = {}
    for unit in trials:
        pairs.setdefault((unit.params["dataset"]["name"], unit.params["algorithm"]), []).append(unit)
    costs = []
    for (name, algorithm), pair in pairs.items():
        if progress:
            progress(f"calibrating {block.name}: {name}, {algorithm}")
        costs.append(_pair_cost(pair, (name, algorithm) in holdouts, cache_dir))
    cpu = sum(c.cpu_s for c in costs)
    return {
        "trials": len(trials),
        "cpu_s": cpu,
        "steps": sum(c.steps for c in costs),
        "calibration_wall_s": time.perf_counter() - began_wall,
        "calibration_cpu_s": time.process_time() - began_cpu,
        "pairs": [attrs.asdict(c) for c in costs],
        "adaptive": any(not isinstance(u.params["config"].get("batch_size"), int) for u in trials),
    }


# What a calibration measured, per (data set, split, seed, algorithm, batch sizes): a spec
# that runs the same grid twice (with and without stop rules) is timed once.
_MEASURED: dict[str, tuple[float, dict[int, float], list[int], float]] = {}


def _pair_cost(units: list[Unit], holdout: bool, cache_dir: str | None) -> PairCost:
    params = units[0].params
    load_began = time.process_time()
    data = prepare(params["dataset"], params["split"], params["seed"], cache_dir)
    folds = max(1, len(data.folds))
    batches = sorted({_batch(u, data) for u in units})
    key = canonical_json([data_key(params), params["algorithm"], params.get("updates"), batches])
    reused = key in _MEASURED
    if not reused:
        load_cpu = time.process_time() - load_began
        _MEASURED[key] = (load_cpu, *_step_costs(params, data, batches), _eval_cost(params, data, batches[0]))
    load_cpu, step_cpu, measured, eval_cpu = _MEASURED[key]
    every, epochs = max(1, int(params["evaluate_every"])), int(params["epochs"])
    train_rows = batch_plan({**params, "config": {**params["config"], "batch_size": 1}}, data)[0]
    total_steps = total_cpu = 0.0
    for unit in units:
        batch = _batch(unit, data)
        steps = epochs * math.ceil(train_rows / batch)
        total_steps += steps
        total_cpu += steps * step_cpu[batch] + math.ceil(steps / every) * eval_cpu
    if holdout:  # one more trial, on the whole training part with one model: about a fold's cost scaled up
        total_cpu += total_cpu / len(units) / folds * len(data.y_train) / train_rows
    return PairCost(
        dataset=params["dataset"]["name"], algorithm=params["algorithm"], train_rows=train_rows, folds=folds,
        load_cpu_s=load_cpu, eval_cpu_s=eval_cpu, step_cpu_s=step_cpu, measured=tuple(measured),
        trials=len(units), steps=int(total_steps), cpu_s=total_cpu + load_cpu, reused=reused,
    )


def _batch(unit: Unit, data: Prepared) -> int:
    config = unit.params["config"]
    if "batch_size" not in config:  # an adaptive search's trial: its batch is chosen when it runs
        config = {**config, "batch_size": 32}
    return batch_plan({**unit.params, "config": config}, data)[1]


def _config(params: dict[str, Any], batch: int) -> dict[str, Any]:
    """A configuration at `batch` whose steps cannot diverge: a small learning rate, which
    changes no array's size, so no step's cost."""
    return {"learning_rate": 1e-4, "alpha": 1e-4, "batch_size": batch}


def _step_costs(params: dict[str, Any], data: Prepared, batches: list[int]) -> tuple[dict[int, float], list[int]]:
    """CPU seconds of one step (all folds, with the step's train_loss) at each batch size:
    timed from the smallest up while a step stays cheap, then extrapolated per row."""
    costs: dict[int, float] = {}
    measured: list[int] = []
    for batch in batches:
        if measured and costs[measured[-1]] > STEP_BUDGET_S:
            largest = measured[-1]
            costs[batch] = costs[largest] * batch / largest
            continue
        learners = make_learners({**params, "config": _config(params, batch)}, data, batch)
        _step(learners)  # the first step allocates the model's weights: not a typical one
        began, steps = time.process_time(), 0
        while steps < MIN_STEPS or (steps < MAX_STEPS and time.process_time() - began < TIMING_BUDGET_S):
            _step(learners)
            steps += 1
        costs[batch] = (time.process_time() - began) / steps
        measured.append(batch)
    return costs, measured


def _step(learners) -> None:
    for learner in learners:
        learner.step()
    for learner in learners:
        learner.batch_loss()


def _eval_cost(params: dict[str, Any], data: Prepared, batch: int) -> float:
    learners = make_learners({**params, "config": _config(params, batch)}, data, batch)
    _step(learners)
    timings = []
    for _ in range(3):
        began = time.process_time()
        for learner in learners:
            learner.evaluate()
        timings.append(time.process_time() - began)
    return min(timings)
