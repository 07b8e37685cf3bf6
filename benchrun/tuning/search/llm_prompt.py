"""What an `llm(...)` search sends its model, and how each answer becomes configurations.

The prompt holds the problem (algorithm, data set, rows, features, task type), the space
with types and bounds, the objective and its direction, the constraints the block's stop
rules express, and the finished trials (configuration, objective, system metrics, why a
rule stopped it). It is a pure function of those, with the history in a fixed order, so
the same state gives the same prompt byte for byte (what a resumed search relies on).

An answer is read leniently (a JSON list anywhere in the text, or the JSON objects in it)
and each slot strictly: a configuration must name every parameter with a value of its
space; anything else is classed (`MALFORMED`, `OUTSIDE`, `DUPLICATE`, `MISSING`).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

import attrs

from benchrun.jsonkey import canonical_json
from benchrun.tuning.search.base import objective

MALFORMED, OUTSIDE, DUPLICATE, MISSING = "malformed", "outside_space", "duplicate", "missing"
PREDICTIONS = ("predicted_step_time_ms", "predicted_memory_mb")

SYSTEM = ("You are an expert in hyperparameter optimisation of machine learning training jobs that run "
          "under system constraints. You propose configurations to try next, and answer with JSON only.")


@attrs.frozen
class Problem:
    algorithm: str
    dataset: str
    rows: int
    features: int
    task: str
    metric: str
    mode: str
    constraints: tuple[str, ...]  # the stop rules on system metrics, as written: ("memory_mb > 512", ...)


@attrs.frozen
class Finished:
    """A finished trial as the prompt shows it."""

    config: dict[str, Any]
    result: dict[str, Any] | None  # the trial's summary; None: it failed

    @property
    def objective(self) -> float | None:
        return objective(self.result)

    @property
    def stop_reason(self) -> str:
        return (self.result or {}).get("stop_reason") or "completed"

    def feasible(self, constraints: tuple[str, ...]) -> bool:
        """Not stopped by a constraint; a trial that failed counts as not."""
        return self.result is not None and self.stop_reason not in constraints


def messages(problem: Problem, space: dict[str, Any], history: list[Finished], batch: int,
             keep: int, predict_cost: bool) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": _user(problem, space, history, batch, keep, predict_cost)}]


def _user(problem: Problem, space: dict[str, Any], history: list[Finished], batch: int, keep: int,
          predict_cost: bool) -> str:
    best = "lower" if problem.mode == "min" else "higher"
    lines = [
        f"Problem: tune scikit-learn's SGD {problem.algorithm} on the data set {problem.dataset} "
        f"({problem.rows} rows, {problem.features} features, {problem.task}).",
        f"Objective: {'minimise' if problem.mode == 'min' else 'maximise'} {problem.metric} ({best} is better).",
    ]
    if problem.constraints:
        lines.append(f"Constraints: a trial is stopped, and its configuration is infeasible, when "
                     f"{' or '.join(problem.constraints)} (memory_mb in MiB, step_time_ms per training step).")
    lines.append("Search space:")
    lines += [f"- {name}: {_domain(domain)}" for name, domain in space.items()]
    lines += _history(problem, history, keep)
    keys = [*space, *(PREDICTIONS if predict_cost else ())]
    example = "{" + ", ".join(f'"{k}": ...' for k in keys) + "}"
    lines.append(f"Propose {batch} new configuration{'s' if batch > 1 else ''}, each different from the tried ones. "
                 f"Answer with only a JSON list of {batch} object{'s' if batch > 1 else ''} like {example}.")
    if predict_cost:
        lines.append("predicted_step_time_ms and predicted_memory_mb are your predictions of what each "
                     "configuration's training step will take and how much memory the trial will use.")
    return "\n".join(lines)


def _history(problem: Problem, history: list[Finished], keep: int) -> list[str]:
    if not history or keep == 0:
        return ["No trials have finished yet."]
    worst = math.inf if problem.mode == "min" else -math.inf
    sign = 1 if problem.mode == "min" else -1

    def order(trial: Finished) -> tuple:
        value = trial.objective
        return (sign * (worst if value is None else value), canonical_json(trial.config))

    feasible = sorted((t for t in history if t.feasible(problem.constraints)), key=order)[:keep]
    infeasible = sorted((t for t in history if not t.feasible(problem.constraints)), key=order)[:keep]
    lines = [f"Finished trials ({len(history)} so far; the best {len(feasible)} feasible"
             + (f" and {len(infeasible)} stopped or failed" if infeasible else "") + "):"]
    for trial in feasible + infeasible:
        lines.append(f"- {canonical_json(trial.config)} -> {_outcome(problem, trial)}")
    return lines


def _outcome(problem: Problem, trial: Finished) -> str:
    if trial.result is None:
        return "failed"
    result = trial.result
    parts = [f"{problem.metric} {_number(trial.objective)}"]
    if result.get("peak_memory_mb") is not None:
        parts.append(f"memory_mb {_number(result['peak_memory_mb'])}")
    steps, seconds = result.get("steps"), result.get("train_time_s")
    if steps and seconds is not None:
        parts.append(f"step_time_ms {_number(1000 * seconds / steps)}")
    if trial.stop_reason != "completed":
        where = f" at step {result['stopped_at_step']}" if result.get("stopped_at_step") else ""
        parts.append(f"stopped: {trial.stop_reason}{where}")
    return ", ".join(parts)


def constraints(rule: dict[str, Any] | None) -> tuple[str, ...]:
    """The parts of a block's stop rule (as `rule_to_json` writes it) that bound a system
    metric, each as the stop reason it gives: what a configuration must not break. A rule
    on learning (`no_improvement(...)`, `val_loss > 10`) is not a constraint."""
    from benchrun.tuning.metrics import METRICS
    from benchrun.tuning.rules import rule_text

    if rule is None:
        return ()
    if rule["rule"] == "any":
        return tuple(text for part in rule["rules"] for text in constraints(part))
    compares = rule["rules"] if rule["rule"] == "all" else [rule]
    system = all(r["rule"] == "compare" and r["metric"] in METRICS and METRICS.get(r["metric"]).unit in ("MiB", "ms", "%", "s")
                 for r in compares)
    return (rule_text(rule),) if system else ()


def _number(value: Any) -> str:
    return "none" if value is None else f"{float(value):.4g}"


def _domain(domain: dict[str, Any]) -> str:
    kind, args = domain["kind"], domain["args"]
    if kind == "choice":
        return "one of " + json.dumps(list(args[0]))
    if kind == "randint":
        return f"an integer from {args[0]} to {args[1]}"
    scale = " (log scale)" if kind == "loguniform" else ""
    return f"a number from {args[0]:g} to {args[1]:g}{scale}"


# ---------------------------------------------------------------- answers


def read_answer(text: str) -> list[Any] | None:
    """The items of the JSON list an answer holds, or the JSON objects in it; None: nothing
    readable."""
    start, end = text.find("["), text.rfind("]")
    if 0 <= start < end:
        try:
            items = json.loads(text[start:end + 1])
            if isinstance(items, list):
                return items
        except ValueError:
            pass
    objects = []
    for match in re.finditer(r"\{[^{}]*\}", text):
        try:
            objects.append(json.loads(match.group()))
        except ValueError:
            continue
    return objects or None


@attrs.frozen
class Checked:
    """One slot of an answer: `config` when valid, else why not."""

    proposed: Any
    config: dict[str, Any] | None
    reason: str | None
    predictions: dict[str, float]


def check_item(item: Any, space: dict[str, Any], tried: set[str]) -> Checked:
    """A proposal against the space and the configurations already tried (canonical JSON)."""
    if not isinstance(item, dict):
        return Checked(item, None, MALFORMED, {})
    predictions = {k: float(item[k]) for k in PREDICTIONS if _is_number(item.get(k))}
    if any(name not in item for name in space):
        return Checked(item, None, MALFORMED, predictions)
    config = {}
    for name, domain in space.items():
        value = in_space(item[name], domain)
        if value is None:
            return Checked(item, None, OUTSIDE, predictions)
        config[name] = value
    if canonical_json(config) in tried:
        return Checked(item, None, DUPLICATE, predictions)
    return Checked(item, config, None, predictions)


def in_space(value: Any, domain: dict[str, Any]) -> Any:
    """The space's own value for a proposed one (64.0 -> 64 of a list [32, 64]), or None
    when it lies outside."""
    kind, args = domain["kind"], domain["args"]
    if kind == "choice":
        for option in args[0]:
            if option == value and type(option) is not bool and type(value) is not bool:
                return option
            if _is_number(option) and _is_number(value) and math.isclose(option, value, rel_tol=1e-9):
                return option
        return None
    if not _is_number(value) or not args[0] <= value <= args[1]:
        return None
    if kind == "randint":
        return int(value) if float(value).is_integer() else None
    return float(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
