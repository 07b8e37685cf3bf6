"""A validated `tune "name" { ... }` block: what `benchrun.tuning.block` builds from the
syntax tree and the tuning package plans and runs.

Options passed through to a part (a data set source's, a search method's, an
executor's) are stored as `options`: (key, value) pairs sorted by key, units already
converted, so two specs that say the same thing compare and hash equal (see
`benchrun.grammar.spec`).
"""
from __future__ import annotations

from typing import Any

import attrs

from benchrun.grammar.spec import ExecutorSpec, Loc, Options


@attrs.frozen
class DatasetSpec:
    """kind: a data set source (benchrun.tuning.datasets.DATASETS: pmlb, sklearn, csv,
    parquet, synthetic). `name` is its display name: the PMLB / scikit-learn name, a
    file's stem, `synthetic_<rows>x<features>`, or the name of a top-level
    `dataset NAME = ...` (then `options["name"]` holds the PMLB / sklearn name).

    options: the source's options as given, and `task` (regression / classification;
    filled in for PMLB and sklearn sets and synthetic data); csv/parquet `path` is
    absolute."""

    kind: str
    name: str
    options: Options
    loc: Loc


@attrs.frozen
class SplitSpec:
    test: float = 0.3
    cv: int = 0  # 0: no cross-validation


@attrs.frozen
class Values:
    """A finite list of values (from a list, a range or a power range)."""

    values: tuple[Any, ...]


@attrs.frozen
class Distribution:
    """A sampled domain: uniform(a, b), loguniform(a, b), randint(a, b), choice([...])."""

    kind: str
    args: tuple[Any, ...]


Domain = Values | Distribution


@attrs.frozen
class Param:
    name: str
    domain: Domain
    loc: Loc


@attrs.frozen
class SearchSpec:
    """method: a search method (benchrun.tuning.search.SEARCHES: grid, random, optuna).
    `samples` is the number of configurations a sampling method tries (1 for a method
    without a `samples` option, such as grid, which takes the product of all Values);
    `options` the method's other options as given."""

    method: str
    space: tuple[Param, ...]
    samples: int = 1
    options: Options = ()
    loc: Loc | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Compare:
    """`metric op value`, e.g. memory_mb > 512."""

    metric: str
    op: str  # one of > >= < <= == !=
    value: float
    loc: Loc = attrs.field(eq=False)


@attrs.frozen
class RuleCall:
    """A stop rule written as a call (benchrun.tuning.rules.RULES), e.g.
    `no_improvement(val_loss, evaluations = 5, min_delta = 0)`. `args`: every argument
    the rule declares, defaults filled in, sorted by name."""

    name: str
    args: Options
    loc: Loc | None = attrs.field(default=None, eq=False)


@attrs.frozen
class AllOf:
    rules: tuple[Rule, ...]


@attrs.frozen
class AnyOf:
    rules: tuple[Rule, ...]


Rule = Compare | RuleCall | AllOf | AnyOf


@attrs.frozen
class TuneSpec:
    name: str
    datasets: tuple[DatasetSpec, ...]
    algorithms: tuple[str, ...]
    split: SplitSpec
    search: SearchSpec
    epochs: int
    evaluate_every: int  # steps between evaluations
    stop: Rule | None  # None: only epochs end a trial
    executor: ExecutorSpec
    seed: int
    metric: str  # the objective, e.g. val_loss
    mode: str  # min or max
    loc: Loc
    kind: str = "tune"
    updates: str = "per_sample"  # per_sample: scikit-learn's partial_fit; per_batch: one step along the batch's mean gradient
    # Objectives after `metric` (`metric val_loss min, memory_mb min`): (name, mode) pairs the
    # Pareto front weighs; the search itself follows `metric` and `mode` only.
    objectives: tuple[tuple[str, str], ...] = ()
