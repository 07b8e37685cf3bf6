"""A benchmark block's work units: one per (task, model, strategy, instruction level, sample)."""
from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import attrs

from benchrun.codegen.judge_inputs import image_digest, judge_digest
from benchrun.codegen.sources import load_tasks
from benchrun.codegen.spec import BenchmarkSpec
from benchrun.engine.units import Unit
from benchrun.grammar.spec import StrategySpec
from benchrun.models.providers import PROVIDERS, result_options
from benchrun.prompts import prompt_digest
from benchrun.sandboxes.backends import id_fields

CODEGEN = "codegen"  # unit kind: one generated, judged sample


def _model_params(model) -> dict[str, Any]:
    return {"kind": model.kind, "name": model.name, "model": model.model, "options": result_options(model)}


def _sandbox_params(sandbox, task_timeout: float | None) -> dict[str, Any]:
    params = id_fields(sandbox.backend, attrs.asdict(sandbox))
    params["image"] = image_digest(sandbox.backend, sandbox.image)
    if task_timeout:  # the task's own timeout replaces the sandbox's (see the workload)
        params["timeout_s"] = task_timeout
    return params


def benchmark_units(block: BenchmarkSpec, base_dir: str | None = None) -> list[Unit]:
    """One unit per (task, model, strategy, level, sample). Its id hashes exactly what
    decides the sample: the task's contents, the model without transport options, the
    instruction level, the strategy and the template and docs files it reads (not for
    models that ignore the prompt),
    the sampling settings, the sandbox limits and image, and the judge's own files."""
    # A task named by two sources (a glob and a folder inside it) is still one task.
    tasks = list({task.id: task for source in block.tasks for task in load_tasks(source)}.values())
    judge = judge_digest(block.sandbox.backend)
    sampling = {"temperature": block.temperature, "max_tokens": block.max_tokens, "seed": block.seed}
    units = []
    for task, model, strategy, level in itertools.product(tasks, block.models, block.strategies, block.levels):
        reads_prompt = not PROVIDERS.get(model.kind).prompt_free
        common = {
            "task": task.id,
            "task_digest": task.digest,
            "model": _model_params(model),
            "strategy": {"name": strategy.name, "options": dict(strategy.options)},
            "level": level,
            "prompt_digest": prompt_digest(strategy, task.at_level(level), base_dir=base_dir) if reads_prompt else None,
            "sandbox": _sandbox_params(block.sandbox, task.timeout),
            "judge_digest": judge,
            **sampling,
        }
        labels = {"task": task.id, "functionality": task.functionality, "model": model.name,
                  "strategy": strategy.label, "level": level, "scores": list(block.scores)}
        for sample in range(block.samples):
            units.append(Unit.make(CODEGEN, block.name, {**common, "sample": sample}, {**labels, "sample": sample}))
    return units


def summary(block: BenchmarkSpec, units: list[Unit]) -> dict[str, Any]:
    """Counts for `benchrun plan`."""
    return {
        "kind": "benchmark",
        "name": block.name,
        "units": len(units),
        "tasks": len({u.params["task"] for u in units}),
        "by_model": dict(Counter(u.params["model"]["name"] for u in units)),
        "by_strategy": dict(Counter(_strategy_label(u.params["strategy"]) for u in units)),
        "by_level": dict(Counter(u.params["level"] for u in units)),
        "samples": block.samples,
    }


def _strategy_label(strategy: dict[str, Any]) -> str:
    return StrategySpec(strategy["name"], tuple(sorted(strategy["options"].items())), loc=None).label
