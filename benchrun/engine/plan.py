"""From a validated spec to the list of work units.

A pure function of the spec (and of the task files it names): no clock, no randomness
that is not seeded by the spec, no I/O beyond reading the tasks.
"""
from __future__ import annotations

import itertools
import math
import os
import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from benchrun.engine.units import CODEGEN, TRIAL, Unit
from benchrun.grammar.spec import (
    AllOf,
    BenchmarkSpec,
    Compare,
    Distribution,
    NoImprovement,
    Rule,
    SearchSpec,
    Spec,
    StrategySpec,
    TuneSpec,
    Values,
)

HOLDOUT = "holdout"  # unit kind: the held-out evaluation of a cross-validated search (benchrun.tuning.holdout)


@attrs.frozen
class Plan:
    spec: Spec
    units: tuple[Unit, ...]

    def by_kind(self, kind: str) -> list[Unit]:
        return [u for u in self.units if u.kind == kind]


def build_plan(spec: Spec) -> Plan:
    units: list[Unit] = []
    base_dir = os.path.dirname(spec.path) if getattr(spec, "path", None) else None
    for block in spec.blocks:
        if isinstance(block, BenchmarkSpec):
            units.extend(benchmark_units(block, base_dir))
        else:
            units.extend(trial_units(block))
    return Plan(spec=spec, units=tuple(units))


# ---------------------------------------------------------------- benchmarks


def _model_params(model) -> dict[str, Any]:
    from benchrun.models.factory import TRANSPORT_OPTIONS

    options = {k: v for k, v in model.options if k not in TRANSPORT_OPTIONS}
    return {"kind": model.kind, "name": model.name, "model": model.model, "options": options}


def _sandbox_params(sandbox, task_timeout: float | None) -> dict[str, Any]:
    from benchrun.codegen.judge_inputs import image_digest

    params = attrs.asdict(sandbox)
    params.pop("loc", None)
    params["image"] = image_digest(sandbox.backend, sandbox.image)
    if task_timeout:  # the task's own timeout replaces the sandbox's (see the workload)
        params["timeout_s"] = task_timeout
    return params


def benchmark_units(block: BenchmarkSpec, base_dir: str | None = None) -> list[Unit]:
    """One unit per (task, model, strategy, sample). Its id hashes exactly what decides
    the sample: the task's contents, the model without transport options, the strategy
    and the template and docs files it reads (not for models that ignore the prompt),
    the sampling settings, the sandbox limits and image, and the judge's own files."""
    from benchrun.codegen.judge_inputs import judge_digest
    from benchrun.codegen.tasks import load_tasks  # tasks are read to name the units
    from benchrun.models.factory import PROMPT_FREE
    from benchrun.prompts import prompt_digest

    # A task named by two sources (a glob and a folder inside it) is still one task.
    tasks = list({task.id: task for source in block.tasks for task in load_tasks(source)}.values())
    judge = judge_digest()
    sampling = {"temperature": block.temperature, "max_tokens": block.max_tokens, "seed": block.seed}
    units = []
    for task, model, strategy in itertools.product(tasks, block.models, block.strategies):
        reads_prompt = model.kind not in PROMPT_FREE
        common = {
            "task": task.id,
            "task_digest": task.digest,
            "model": _model_params(model),
            "strategy": {"name": strategy.name, "options": dict(strategy.options)},
            "prompt_digest": prompt_digest(strategy, task, base_dir=base_dir) if reads_prompt else None,
            "sandbox": _sandbox_params(block.sandbox, task.timeout),
            "judge_digest": judge,
            **sampling,
        }
        labels = {"task": task.id, "functionality": task.functionality, "model": model.name,
                  "strategy": strategy.label, "scores": list(block.scores)}
        for sample in range(block.samples):
            units.append(Unit.make(CODEGEN, block.name, {**common, "sample": sample}, {**labels, "sample": sample}))
    return units


# ---------------------------------------------------------------- tuning


def rule_to_json(rule: Rule | None) -> Any:
    if rule is None:
        return None
    if isinstance(rule, Compare):
        return {"rule": "compare", "metric": rule.metric, "op": rule.op, "value": rule.value}
    if isinstance(rule, NoImprovement):
        return {
            "rule": "no_improvement",
            "metric": rule.metric,
            "evaluations": rule.evaluations,
            "min_delta": rule.min_delta,
        }
    tag = "all" if isinstance(rule, AllOf) else "any"
    return {"rule": tag, "rules": [rule_to_json(r) for r in rule.rules]}


def search_params(search: SearchSpec) -> dict[str, Any]:
    """What of the search decides a trial's result beyond its configuration: an Optuna
    trial's configuration comes from the sampler and the space, and a scheduler may end
    any trial. Part of every trial unit's id."""
    options = dict(search.options)
    params: dict[str, Any] = {"method": search.method, "scheduler": None}
    if options.get("scheduler") == "asha":
        params["scheduler"] = {
            "kind": "asha", "grace_period": int(options.get("grace_period", 1)),
            "reduction_factor": float(options.get("reduction_factor", 4)),
            "max_t": int(options.get("max_t", 1 << 30)),
        }
    if search.method == "optuna":
        params["sampler"] = options.get("sampler", "tpe")
        params["space"] = {
            p.name: {"kind": p.domain.kind, "args": list(p.domain.args)} if isinstance(p.domain, Distribution)
            else {"kind": "choice", "args": [list(p.domain.values)]}
            for p in search.space
        }
    return params


def search_points(search: SearchSpec, seed: int) -> list[dict[str, Any]]:
    """The configurations a search visits, in a stable order.

    grid: the product of every parameter's values. random: `samples` draws from a
    generator seeded by the spec. optuna: the sampler chooses at run time, so a point
    is only the trial's index."""
    names = [p.name for p in search.space]
    if search.method == "grid":
        value_lists = [p.domain.values for p in search.space]
        return [dict(zip(names, combo)) for combo in itertools.product(*value_lists)]
    if search.method == "random":
        rng = random.Random(seed)
        return [{p.name: _draw(p.domain, rng) for p in search.space} for _ in range(search.samples)]
    return [{"optuna_trial": i} for i in range(search.samples)]


def _draw(domain, rng: random.Random) -> Any:
    if isinstance(domain, Values):
        return rng.choice(domain.values)
    assert isinstance(domain, Distribution)
    if domain.kind == "uniform":
        return rng.uniform(*domain.args)
    if domain.kind == "loguniform":
        low, high = (math.log(a) for a in domain.args)
        return math.exp(rng.uniform(low, high))
    if domain.kind == "randint":
        return rng.randint(*domain.args)
    return rng.choice(domain.args[0])


# Which algorithms can train on which task type.
ALGORITHM_TASKS = {
    "linear_regression": "regression",
    "logistic_regression": "classification",
    "svm": "classification",
}


# What a trial trains with for a hyperparameter its search space leaves out
# (scikit-learn's own defaults for alpha and eta0).
DEFAULT_CONFIG = {"batch_size": 32, "learning_rate": 0.01, "alpha": 1e-4}


def trial_units(block: TuneSpec) -> list[Unit]:
    searched = {p.name for p in block.search.space}
    fixed = {name: value for name, value in DEFAULT_CONFIG.items() if name not in searched}
    points = [{**fixed, **point} for point in search_points(block.search, block.seed)]
    shared = {
        "split": attrs.asdict(block.split),
        "epochs": block.epochs,
        "evaluate_every": block.evaluate_every,
        "stop": rule_to_json(block.stop),
        "seed": block.seed,
        "metric": block.metric,
        "mode": block.mode,
        "search": search_params(block.search),
    }
    if block.updates != "per_sample":  # only when asked: the ids of every other trial stay as they were
        shared["updates"] = block.updates
    units: list[Unit] = []
    holdouts: list[Unit] = []
    for dataset, algorithm in itertools.product(block.datasets, block.algorithms):
        if not _pairs(dataset, algorithm):
            continue
        study: list[Unit] = []
        for draw, config in enumerate(points):
            params = {
                "dataset": {"kind": dataset.kind, "name": dataset.name, "options": dict(dataset.options)},
                "algorithm": algorithm,
                "config": config,
                **shared,
            }
            if block.search.method == "random":
                params["draw"] = draw  # two random draws may pick the same config; both run
            study.append(Unit.make(TRIAL, block.name, params))
        units += study
        if (block.split.cv or 0) > 1:  # cross-validated: the chosen configuration meets the held-out part once
            holdout = {k: v for k, v in study[0].params.items() if k not in ("config", "draw", "stop")}
            holdouts.append(Unit.make(HOLDOUT, block.name, {**holdout, "candidates": sorted(u.id for u in study)}))
    return units + holdouts


def _pairs(dataset, algorithm: str) -> bool:
    """A data set whose task type is declared only pairs with matching algorithms."""
    task = dict(dataset.options).get("task")
    return task is None or ALGORITHM_TASKS.get(algorithm) == task


# ---------------------------------------------------------------- summary


def summarize(plan: Plan) -> dict[str, Any]:
    """Counts for `benchrun plan`: units by kind, and per block by its main axes."""
    blocks = []
    for block in plan.spec.blocks:
        units = [u for u in plan.units if u.block == block.name]
        if isinstance(block, BenchmarkSpec):
            blocks.append(
                {
                    "kind": "benchmark",
                    "name": block.name,
                    "units": len(units),
                    "tasks": len({u.params["task"] for u in units}),
                    "by_model": dict(Counter(u.params["model"]["name"] for u in units)),
                    "by_strategy": dict(Counter(_strategy_label(u.params["strategy"]) for u in units)),
                    "samples": block.samples,
                }
            )
        else:
            points = search_points(block.search, block.seed)
            blocks.append(
                {
                    "kind": "tune",
                    "name": block.name,
                    "units": len(units),
                    "search": block.search.method,
                    "grid_size": len(points),
                    "space": {p.name: _domain_label(p.domain) for p in block.search.space},
                    "by_dataset": dict(Counter(u.params["dataset"]["name"] for u in units)),
                    "by_algorithm": dict(Counter(u.params["algorithm"] for u in units)),
                }
            )
    return {
        "spec": plan.spec.path,
        "units": len(plan.units),
        "by_kind": dict(Counter(u.kind for u in plan.units)),
        "blocks": blocks,
    }


def _strategy_label(strategy: dict[str, Any]) -> str:
    return StrategySpec(strategy["name"], tuple(sorted(strategy["options"].items())), loc=None).label


def _domain_label(domain) -> str:
    if isinstance(domain, Values):
        shown: Iterable = domain.values
        return f"{len(domain.values)} values: " + ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in shown)
    return f"{domain.kind}{tuple(domain.args)}"
