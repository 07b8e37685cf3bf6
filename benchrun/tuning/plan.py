"""A tune block's work units: one per (data set, algorithm, search point), and with
cross-validation one held-out evaluation per (data set, algorithm).

A pure function of the block: no clock, no randomness not seeded by the spec. A unit's id
hashes exactly what decides the trial's result: the data set, the algorithm, the
configuration (or, for an adaptive search, the trial's index and the search itself), the
split, epochs, evaluation cadence, stop rule, seed and objective; not the executor.
"""
from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from benchrun.engine.units import Unit
from benchrun.grammar.spec import ModelSpec
from benchrun.tuning.algorithms import HYPERPARAMETERS, fits
from benchrun.tuning.search import SEARCHES
from benchrun.tuning.search.base import model_params
from benchrun.tuning.spec import AllOf, Compare, Rule, RuleCall, SearchSpec, TuneSpec, Values

TRIAL = "trial"  # unit kind: one configuration's trial (benchrun.tuning.workload)
HOLDOUT = "holdout"  # unit kind: the held-out evaluation of a cross-validated search (benchrun.tuning.holdout)

# What a trial trains with for a hyperparameter its search space leaves out.
DEFAULT_CONFIG = {option.name: option.default for option in HYPERPARAMETERS}


def rule_to_json(rule: Rule | None) -> Any:
    if rule is None:
        return None
    if isinstance(rule, Compare):
        return {"rule": "compare", "metric": rule.metric, "op": rule.op, "value": rule.value}
    if isinstance(rule, RuleCall):  # a model argument (`llm(local())`) as a unit's id holds one
        return {"rule": rule.name, **{k: model_params(v) if isinstance(v, ModelSpec) else v for k, v in rule.args}}
    tag = "all" if isinstance(rule, AllOf) else "any"
    return {"rule": tag, "rules": [rule_to_json(r) for r in rule.rules]}


def search_params(search: SearchSpec) -> dict[str, Any]:
    """What of the search decides a trial's result beyond its configuration (see
    `SearchMethod.unit_params`). Part of every trial unit's id."""
    return SEARCHES.get(search.method).unit_params(search)


def search_points(search: SearchSpec, seed: int) -> list[dict[str, Any]]:
    """The configurations a search visits, in a stable order: a fixed-point method's
    points (grid: the product of every parameter's values; random: `samples` draws from a
    generator seeded by the spec), or an adaptive method's trial indices."""
    return SEARCHES.get(search.method).trials(search, seed)


def trial_units(block: TuneSpec) -> list[Unit]:
    method = SEARCHES.get(block.search.method)
    searched = {p.name for p in block.search.space}
    fixed = {name: value for name, value in DEFAULT_CONFIG.items() if name not in searched}
    points = [{**fixed, **point} for point in method.trials(block.search, block.seed)]
    shared = {
        "split": attrs.asdict(block.split),
        "epochs": block.epochs,
        "evaluate_every": block.evaluate_every,
        "stop": rule_to_json(block.stop),
        "seed": block.seed,
        "metric": block.metric,
        "mode": block.mode,
        "search": method.unit_params(block.search),
    }
    if block.updates != "per_sample":  # only when asked: the ids of every other trial stay as they were
        shared["updates"] = block.updates
    if block.objectives:  # likewise: a single-objective block's ids are unchanged
        shared["objectives"] = [list(o) for o in block.objectives]
    units: list[Unit] = []
    holdouts: list[Unit] = []
    for dataset, algorithm in itertools.product(block.datasets, block.algorithms):
        if not fits(dataset, algorithm):
            continue
        study: list[Unit] = []
        for draw, config in enumerate(points):
            params = {
                "dataset": {"kind": dataset.kind, "name": dataset.name, "options": dict(dataset.options)},
                "algorithm": algorithm,
                "config": config,
                **shared,
            }
            if method.numbered:
                params["draw"] = draw  # two random draws may pick the same config; both run
            study.append(Unit.make(TRIAL, block.name, params))
        units += study
        if (block.split.cv or 0) > 1:  # cross-validated: the chosen configuration meets the held-out part once
            holdout = {k: v for k, v in study[0].params.items() if k not in ("config", "draw", "stop")}
            holdouts.append(Unit.make(HOLDOUT, block.name, {**holdout, "candidates": sorted(u.id for u in study)}))
    return units + holdouts


# ---------------------------------------------------------------- summary


def summary(block: TuneSpec, units: list[Unit]) -> dict[str, Any]:
    """Counts for `benchrun plan`: the search, its size, and units by data set and algorithm."""
    points = search_points(block.search, block.seed)
    return {
        "kind": "tune",
        "name": block.name,
        "units": len(units),
        "trials": sum(u.kind == TRIAL for u in units),
        "search": block.search.method,
        "grid_size": len(points),
        "space": {p.name: domain_label(p.domain) for p in block.search.space},
        "by_dataset": dict(Counter(u.params["dataset"]["name"] for u in units)),
        "by_algorithm": dict(Counter(u.params["algorithm"] for u in units)),
    }


def domain_label(domain) -> str:
    if isinstance(domain, Values):
        shown: Iterable = domain.values
        return f"{len(domain.values)} values: " + ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in shown)
    return f"{domain.kind}{tuple(domain.args)}"
