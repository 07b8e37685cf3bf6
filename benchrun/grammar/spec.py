"""The validated spec: what the rest of benchrun consumes.

The parser turns a `.bench` file into a raw syntax tree (`ast.py`); validation checks it
and builds these typed, frozen values. Every value keeps the source location it came
from, so later stages can still point at the line that caused a problem.

Options that are passed through to a backend (`openai(..., base_url=...)`,
`docker(..., memory=1GiB)`) are stored as `options`: a tuple of (key, value) pairs with
units already converted (durations in seconds, sizes in bytes), sorted by key, so two
specs that say the same thing compare and hash equal.
"""
from __future__ import annotations

from typing import Any, Union

import attrs


@attrs.frozen
class Loc:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


Options = tuple[tuple[str, Any], ...]


def options_dict(options: Options) -> dict[str, Any]:
    return dict(options)


# ---------------------------------------------------------------- calls to registry entries


@attrs.frozen
class ModelSpec:
    """A model provider: kind is one of openai, vllm, local, oracle, identity.

    `name` is the stable display name used in reports and unit ids
    (e.g. "local", "oracle", "openai:gpt-4o-mini", or a top-level definition's name).
    `model` is the first positional argument when there is one (openai, vllm); for local
    the .gguf file, if given, is `options["model"]` (an absolute path).
    """

    kind: str
    name: str
    model: str | None
    options: Options
    loc: Loc


@attrs.frozen
class StrategySpec:
    """A prompting strategy: zero_shot, tuned, docprompt, retrieval."""

    name: str
    options: Options
    loc: Loc

    @property
    def label(self) -> str:
        if not self.options:
            return self.name
        inner = ", ".join(f"{k}={v!r}" for k, v in self.options)
        return f"{self.name}({inner})"


@attrs.frozen
class SandboxSpec:
    """How generated programs run. backend: docker or local."""

    backend: str
    timeout_s: float = 60.0
    memory_bytes: int = 1 << 30
    cpus: float = 1.0
    pids: int = 256
    network: bool = False
    output_bytes: int = 1 << 20
    image: str | None = None
    loc: Loc | None = attrs.field(default=None, eq=False)


# ---------------------------------------------------------------- tune blocks


@attrs.frozen
class DatasetSpec:
    """kind: pmlb, sklearn, csv, parquet, synthetic. `name` is its display name: the PMLB /
    scikit-learn name, a file's stem, `synthetic_<rows>x<features>`, or the name of a
    top-level `dataset NAME = ...` (then `options["name"]` holds the PMLB / sklearn name).

    options: `task` (regression / classification; filled in for PMLB and sklearn sets and
    synthetic data), csv/parquet `path` (absolute) and `target`, synthetic `rows`,
    `features`, `classes`, `noise`, `seed`."""

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


Domain = Union[Values, Distribution]


@attrs.frozen
class Param:
    name: str
    domain: Domain
    loc: Loc


@attrs.frozen
class SearchSpec:
    """method: grid, random or optuna. `samples` is the number of sampled configurations
    (ignored by grid, which takes the product of all Values)."""

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
class NoImprovement:
    """`no_improvement(val_loss, evaluations = 5, min_delta = 0)`"""

    metric: str
    evaluations: int
    min_delta: float
    loc: Loc = attrs.field(eq=False)


@attrs.frozen
class AllOf:
    rules: tuple["Rule", ...]


@attrs.frozen
class AnyOf:
    rules: tuple["Rule", ...]


Rule = Union[Compare, NoImprovement, AllOf, AnyOf]


@attrs.frozen
class ExecutorSpec:
    """kind: local (a process pool) or ray. options e.g. cpus_per_trial, address."""

    kind: str = "local"
    options: Options = ()


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


Block = Any  # a block kind's validated spec, with `name` and `kind` (see benchrun.blocks)


@attrs.frozen
class Spec:
    path: str  # absolute path of the .bench file
    source: str
    content_hash: str  # sha256 of the source text
    blocks: tuple[Block, ...]
