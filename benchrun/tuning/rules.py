"""Stopping rules (`stop when ...`) evaluated on each trial's reported results.

A rule arrives as the JSON of `benchrun.tuning.plan.rule_to_json`: a comparison
(`{"rule": "compare", "metric", "op", "value"}`, the syntax `memory_mb > 512`), `all` /
`any` of rules (`and`, `or`), or a rule written as a call, `{"rule": NAME, **arguments}`,
whose entry in `RULES` says what it takes and keeps its state in one trial.

`TrialRules` is the state of one trial and says which rule fired, if any. The local
executor uses it inside the trial; under Ray, `stoppers.RuleStopper` keeps one per trial,
so both executors stop a trial at the same evaluation for the same reason. This module
does not import Ray.

A rule written as a call is one module declaring one `StopRule`; a plugin registers it
through the entry-point group `benchrun.rules`:

    [project.entry-points."benchrun.rules"]
    plateau = "my_package.plateau:PLATEAU"
"""
from __future__ import annotations

import json
import operator
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from benchrun.errors import BenchrunError
from benchrun.registry import Entry, Int, Number, Option, Registry, UnknownEntry, Word
from benchrun.tuning.metrics import METRICS

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne}
SYNTAX = ("compare", "all", "any")  # rule kinds that are syntax, not registry entries


class RuleError(BenchrunError, ValueError):
    pass


class RuleState(Protocol):
    """A call rule in one trial: `fires(result)` is asked at every evaluation, with the
    result the trial reports (every metric of benchrun.tuning.metrics it has)."""

    def fires(self, result: dict[str, Any]) -> bool: ...


@attrs.frozen(kw_only=True)
class StopRule(Entry):
    """A stop rule written as a call: `name(metric, option = value, ...)`.

    `options`: its arguments, checked by the grammar; declare the metric it watches with
    `metric_option()`, so it is checked like a comparison's (and at run time).
    `start(args, objective, mode)` -> its state in one trial (a `RuleState`): `args` are
    the call's arguments by name, defaults filled in; `objective` and `mode` the block's
    `metric` and `min`/`max`, for rules that need to know which way is better."""

    start: Callable[[dict[str, Any], str, str], RuleState]

    def __attrs_post_init__(self) -> None:
        if self.name in SYNTAX:
            raise ValueError(f"'{self.name}' is the syntax of a stop rule, not a name one can take")


RULES: Registry[StopRule] = Registry("rules", "stop rule", StopRule, {
    "no_improvement": "benchrun.tuning.no_improvement:NO_IMPROVEMENT",
})


def metric_option(doc: str = "the metric it watches") -> Option:
    """The first argument of most rules: a metric name, written bare (`val_loss`)."""
    return Option("metric", Word(METRICS), doc, required=True, positional=True)


def metric_options(rule: StopRule) -> list[str]:
    """The names of the rule's arguments that are metrics."""
    return [o.name for o in rule.options if isinstance(o.type, Word) and o.type.choices is METRICS]


def call(name: str, loc: Any = None, **given: Any) -> Any:
    """The `RuleCall` a spec writes as `name(...)`, from Python: defaults filled in, numbers
    as the grammar stores them (e.g. `call("no_improvement", metric="val_loss")`)."""
    from benchrun.tuning.spec import RuleCall

    rule = RULES.get(name)
    args = {}
    for option in rule.options:
        value = given.pop(option.name, None)
        value = option.default if value is None else value
        if value is None:
            continue
        if isinstance(option.type, Int):
            value = int(value)
        elif isinstance(option.type, Number):
            value = float(value)
        args[option.name] = value
    if given:
        raise TypeError(f"{name}() takes no argument {', '.join(given)}")
    return RuleCall(name, tuple(sorted(args.items())), loc)


def _entry(name: str) -> StopRule:
    try:
        return RULES.get(name)
    except UnknownEntry:
        raise RuleError(RULES.unknown(name)) from None


def _arguments(rule: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rule.items() if k != "rule"}


def _literal(value: Any, option: Option | None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and option is not None and isinstance(option.type, Word):
        return value
    return json.dumps(value)


def rule_text(rule: dict[str, Any]) -> str:
    """The rule as the spec writes it, e.g. `memory_mb > 512`."""
    kind = rule["rule"]
    if kind == "compare":
        return f"{rule['metric']} {rule['op']} {rule['value']:g}"
    if kind in ("all", "any"):
        inner = f" {'and' if kind == 'all' else 'or'} ".join(rule_text(r) for r in rule["rules"])
        return f"({inner})"
    entry, args = _entry(kind), _arguments(rule)
    parts = [_literal(args[o.name], o) if o.positional else f"{o.name} = {_literal(args[o.name], o)}"
             for o in entry.options if o.name in args]
    return f"{kind}({', '.join(parts)})"


def rule_metrics(rule: dict[str, Any] | None) -> set[str]:
    if rule is None:
        return set()
    kind = rule["rule"]
    if kind in ("all", "any"):
        return set().union(*(rule_metrics(r) for r in rule["rules"]))
    if kind == "compare":
        return {rule["metric"]}
    return {rule[name] for name in metric_options(_entry(kind)) if name in rule}


def check_rule(rule: dict[str, Any] | None) -> None:
    """Raise a RuleError naming what is known if the rule names an unknown rule or metric."""
    unknown = sorted(m for m in rule_metrics(rule) if not _known_metric(m))
    if unknown:
        raise RuleError(f"stop rule names unknown metric(s) {', '.join(unknown)}; known: {', '.join(METRICS.names())}")


def _known_metric(name: str) -> bool:
    try:
        METRICS.get(name)
    except UnknownEntry:
        return False
    return True


class TrialRules:
    """The stop rule of one trial, with its state. `check(result)` returns the text of
    the rule that fires on this result, or None."""

    def __init__(self, rule: dict[str, Any] | None, objective: str = "val_loss", mode: str = "min") -> None:
        self._rule = rule
        self._objective, self._mode = objective, mode
        self._states: dict[int, RuleState] = {}  # per call rule node (by id): its state in this trial

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
        if kind == "compare":
            value = result.get(rule["metric"])
            if value is None:
                return None
            return rule_text(rule) if _OPS[rule["op"]](value, rule["value"]) else None
        state = self._states.get(id(rule))
        if state is None:
            state = self._states[id(rule)] = _entry(kind).start(_arguments(rule), self._objective, self._mode)
        return rule_text(rule) if state.fires(result) else None
