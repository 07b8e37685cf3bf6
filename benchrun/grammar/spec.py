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

from typing import Any

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
    loc: Loc | None  # None: rebuilt from a unit's params, where no line is left to point at

    @property
    def label(self) -> str:
        if not self.options:
            return self.name
        inner = ", ".join(f"{k}={_shown(v)}" for k, v in self.options)
        return f"{self.name}({inner})"


def _shown(value: Any) -> str:
    """An option as a label shows it: a model (a ModelSpec, or one as unit params hold it) by its name."""
    name = value.get("name") if isinstance(value, dict) and "kind" in value else getattr(value, "name", None)
    return repr(value) if name is None or isinstance(value, str) else name


@attrs.frozen
class ExecutorSpec:
    """Where a block's units run: kind names an entry of the block's executor registry
    (a tune block's trials: benchrun.tuning.executors; a benchmark's judging:
    benchrun.codegen.executors), options as given, e.g. address. Executors change how
    units run, not their results: nothing here enters a unit's id."""

    kind: str = "local"
    options: Options = ()


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
    warm_judge: bool = True  # docker only: see sandboxes.backends.WARM_JUDGE (its default)
    warm_program: bool = True  # docker only: see sandboxes.backends.WARM_PROGRAM (its default)
    loc: Loc | None = attrs.field(default=None, eq=False)


Block = Any  # a block kind's validated spec, with `name` and `kind` (see benchrun.blocks)


@attrs.frozen
class Spec:
    path: str  # absolute path of the .bench file
    source: str
    content_hash: str  # sha256 of the source text
    blocks: tuple[Block, ...]
