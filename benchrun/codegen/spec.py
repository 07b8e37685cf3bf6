"""The validated `benchmark` block: where its tasks come from, and its settings."""
from __future__ import annotations

import attrs

from benchrun.grammar.spec import ExecutorSpec, Loc, ModelSpec, SandboxSpec, StrategySpec


@attrs.frozen
class TaskSource:
    """Where a benchmark's tasks come from.

    kind "folder": `pattern` is a glob (relative to the spec file) of task folders;
    kind "humaneval": `pattern` is the path of a HumanEval-style JSONL file.
    `paths` are the resolved absolute paths it matched, sorted.
    """

    kind: str
    pattern: str
    paths: tuple[str, ...]
    loc: Loc


@attrs.frozen
class Budget:
    """`budget 5.00 USD` or `budget 200000 tokens`: what one `benchrun run` of the block
    may spend on model requests (cached completions are free)."""

    amount: float
    unit: str  # "USD" or "tokens"

    def shown(self, amount: float | None = None) -> str:
        amount = self.amount if amount is None else amount
        return f"{amount:.4f} USD" if self.unit == "USD" else f"{amount:.0f} tokens"


@attrs.frozen
class BenchmarkSpec:
    name: str
    tasks: tuple[TaskSource, ...]
    models: tuple[ModelSpec, ...]
    strategies: tuple[StrategySpec, ...]
    samples: int
    temperature: float
    max_tokens: int
    seed: int
    scores: tuple[int, ...]  # the k of each pass@k
    sandbox: SandboxSpec
    concurrency: int
    loc: Loc
    kind: str = "benchmark"
    budget: Budget | None = None  # not in unit ids: it decides what runs now, not results
    executor: ExecutorSpec = ExecutorSpec()  # where samples are judged; not in unit ids either
    levels: tuple[str, ...] = ("brief",)  # `instructions [brief, detailed]`: the instruction levels prompted
