"""Stopping rules (`stop when ...`) evaluated on each trial's reported results.

A rule arrives as the JSON of `benchrun.engine.plan.rule_to_json`. `TrialRules` is the
state of one trial (no-improvement counters) and says which rule fired, if any. The local
executor uses it inside the trial; under Ray, `stoppers.RuleStopper` keeps one per trial,
so both executors stop a trial at the same evaluation for the same reason. This module
does not import Ray.
"""
from __future__ import annotations

import math
import operator
from typing import Any

# Every metric a trial reports; rules may name any of them.
SYSTEM_METRICS = ("memory_mb", "step_time_ms", "cpu_pct", "cpu_time_s", "wall_time_s", "train_time_s")
ML_METRICS = ("train_loss", "val_loss", "accuracy", "rmse")
PROGRESS = ("step", "epoch")
METRICS = ML_METRICS + SYSTEM_METRICS + PROGRESS
HIGHER_IS_BETTER = ("accuracy",)

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne}


class RuleError(ValueError):
    pass


def rule_text(rule: dict[str, Any]) -> str:
    """The rule as the spec writes it, e.g. `memory_mb > 512`."""
    kind = rule["rule"]
    if kind == "compare":
        return f"{rule['metric']} {rule['op']} {rule['value']:g}"
    if kind == "no_improvement":
        return (
            f"no_improvement({rule['metric']}, evaluations = {rule['evaluations']}, "
            f"min_delta = {rule['min_delta']:g})"
        )
    inner = f" {'and' if kind == 'all' else 'or'} ".join(rule_text(r) for r in rule["rules"])
    return f"({inner})"


def rule_metrics(rule: dict[str, Any] | None) -> set[str]:
    if rule is None:
        return set()
    if rule["rule"] in ("all", "any"):
        return set().union(*(rule_metrics(r) for r in rule["rules"]))
    return {rule["metric"]}


def check_rule(rule: dict[str, Any] | None) -> None:
    """Raise a RuleError naming the known metrics if the rule names an unknown one."""
    unknown = sorted(rule_metrics(rule) - set(METRICS))
    if unknown:
        raise RuleError(f"stop rule names unknown metric(s) {', '.join(unknown)}; known: {', '.join(METRICS)}")


class TrialRules:
    """The stop rule of one trial, with its state. `check(result)` returns the text of
    the rule that fires on this result, or None."""

    def __init__(self, rule: dict[str, Any] | None, objective: str = "val_loss", mode: str = "min") -> None:
        self._rule = rule
        self._objective, self._mode = objective, mode
        self._best: dict[int, float] = {}  # per no_improvement node (by id): best value seen
        self._waited: dict[int, int] = {}  # evaluations since that best

    def check(self, result: dict[str, Any]) -> str | None:
        return self._fires(self._rule, result) if self._rule else None

    def _fires(self, rule: dict[str, Any], result: dict[str, Any]) -> str | None:
        kind = rule["rule"]
        if kind in ("all", "any"):
            # Evaluate every branch: stateful rules must see every result.
            fired = [self._fires(r, result) for r in rule["rules"]]
            if kind == "all":
                return rule_text(rule) if all(fired) else None
            return next((f for f in fired if f), None)
        value = result.get(rule["metric"])
        if value is None:
            return None
        if kind == "compare":
            return rule_text(rule) if _OPS[rule["op"]](value, rule["value"]) else None
        return rule_text(rule) if self._stalled(rule, float(value)) else None

    def _stalled(self, rule: dict[str, Any], value: float) -> bool:
        key = id(rule)
        larger = rule["metric"] in HIGHER_IS_BETTER or (rule["metric"] == self._objective and self._mode == "max")
        score = value if larger else -value  # higher score is better
        if math.isnan(score):
            score = -math.inf
        best = self._best.get(key)
        if best is None or score > best + rule["min_delta"]:
            self._best[key], self._waited[key] = score, 0
            return False
        self._waited[key] += 1
        return self._waited[key] >= rule["evaluations"]
