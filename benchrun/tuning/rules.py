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

A rule that needs more than its own trial's results (the best finished trial of the same
problem, a model asked on the driver) declares `contextual = True` and is started with a
`TrialContext`: the executors hand one to each trial (benchrun.tuning.stopping.services).
"""
from __future__ import annotations

import json
import operator
from collections.abc import Callable, MutableMapping
from typing import Any, Protocol

import attrs

from benchrun.errors import BenchrunError
from benchrun.registry import Entry, Int, Model, Number, Option, Registry, UnknownEntry, Word
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
class TrialContext:
    """What a contextual rule may use beyond its trial's results. `unit_id`: the trial's
    unit; `problem`: its data set and algorithm (`asha.problem_of`); `board`: a mapping
    every trial of the block shares (a manager's dict in the local pool, the stopper's
    own under Ray), with `lock` guarding a read-modify-write; `judge`: a callable taking
    a request (plain JSON) and returning the answer (plain JSON), run on the driver (see
    benchrun.tuning.stopping.llm_stop); `params`: the trial unit's params."""

    unit_id: str = ""
    problem: str = ""
    board: MutableMapping | None = None
    lock: Any = None
    judge: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    params: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class StopRule(Entry):
    """A stop rule written as a call: `name(metric, option = value, ...)`.

    `options`: its arguments, checked by the grammar; declare the metric it watches with
    `metric_option()`, so it is checked like a comparison's (and at run time).
    `start(args, objective, mode)` -> its state in one trial (a `RuleState`): `args` are
    the call's arguments by name, defaults filled in; `objective` and `mode` the block's
    `metric` and `min`/`max`, for rules that need to know which way is better.
    `contextual`: `start` takes a fourth argument, the trial's `TrialContext`."""

    start: Callable[..., RuleState]
    contextual: bool = False

    def __attrs_post_init__(self) -> None:
        if self.name in SYNTAX:
            raise ValueError(f"'{self.name}' is the syntax of a stop rule, not a name one can take")


RULES: Registry[StopRule] = Registry("rules", "stop rule", StopRule, {
    "no_improvement": "benchrun.tuning.no_improvement:NO_IMPROVEMENT",
    "predicted_worse": "benchrun.tuning.stopping.predicted:PREDICTED_WORSE",
    "llm": "benchrun.tuning.stopping.llm_stop:LLM_STOP",
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
    if isinstance(value, dict) and option is not None and isinstance(option.type, Model):  # search.base.model_params
        return f"{value.get('provider')}({json.dumps(value['model']) if value.get('model') else ''})"
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

    def __init__(self, rule: dict[str, Any] | None, objective: str = "val_loss", mode: str = "min",
                 context: TrialContext | None = None) -> None:
        self._rule = rule
        self._objective, self._mode = objective, mode
        self._context = context or TrialContext()
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
            entry = _entry(kind)
            extra = (self._context,) if entry.contextual else ()
            state = self._states[id(rule)] = entry.start(_arguments(rule), self._objective, self._mode, *extra)
        return rule_text(rule) if state.fires(result) else None
