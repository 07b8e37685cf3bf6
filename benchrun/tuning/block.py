"""The `tune "name" { ... }` block kind (`TUNE`): checking the block and the top-level
`dataset NAME = ...` definitions, its units, and how `benchrun plan` shows it.

Every name a tune block may write comes from a registry, so the messages, did-you-mean
and the docs' tables follow one declaration: data set sources (`DATASETS`), algorithms
(`ALGORITHMS`) and their hyperparameters, search methods (`SEARCHES`), stop rules written
as calls (`RULES`), metrics (`METRICS`) and executors (`EXECUTORS`). A plugin's entry is
accepted as soon as it is installed. Nothing heavy is imported here: checking a spec
loads neither scikit-learn, Optuna nor Ray.
"""
from __future__ import annotations

import os
from typing import Any, TypeVar

import attrs

from benchrun.blocks import BlockKind, Definition
from benchrun.grammar import ast
from benchrun.grammar.calls import check_call, check_executor, take_models
from benchrun.grammar.errors import did_you_mean
from benchrun.grammar.spec import Loc
from benchrun.grammar.validate import Context, Statements, block_keys, listed, settings, used
from benchrun.grammar.values import (
    DURATION_UNITS,
    SIZE_UNITS,
    Invalid,
    as_entry_name,
    as_int,
    as_number,
    as_values,
    as_word,
    bind,
    describe,
    option_args,
)
from benchrun.registry import Entry, Int, Number, Option, Registry, Several, Structured, UnknownEntry, Word
from benchrun.tuning.algorithms import ALGORITHMS, HYPERPARAMETERS, fits
from benchrun.tuning.datasets import DATASETS, DatasetSource
from benchrun.tuning.executors import EXECUTORS
from benchrun.tuning.metrics import METRICS
from benchrun.tuning.rules import RULES
from benchrun.tuning.search import SEARCHES, SearchMethod
from benchrun.tuning.spec import (
    AllOf,
    AnyOf,
    Compare,
    DatasetSpec,
    Distribution,
    Domain,
    ExecutorSpec,
    Param,
    Rule,
    RuleCall,
    SearchSpec,
    SplitSpec,
    TuneSpec,
    Values,
)

UPDATES = ("per_sample", "per_batch")
PARAMS = {option.name: option for option in HYPERPARAMETERS}
# `split`'s named values; their defaults are SplitSpec's.
SPLIT = (Option("test", Number(0.01, 0.99), "the share of rows held out"),
         Option("cv", Int(0, 100), "cross-validation folds (0: none)"))

# The block's keys, declared once: `Statements` binds them (unknown and repeated keys,
# the simple keys' types, limits and defaults), `benchrun plugins blocks` lists them, and
# the structured ones are checked below, with their defaults from here. A search space is
# written under a search method's name (`grid { ... }`, `random(samples = 20) { ... }`).
KEYS = (
    Option("datasets", Structured('a data set or a list: pmlb("..."), sklearn("..."), csv(...), ... or a defined one'),
           "the data sets; required unless `use` names some"),
    Option("algorithms", Several(Word(ALGORITHMS), "algorithm"), "the algorithms tuned on each data set", required=True),
    Option("search", Structured("METHOD { name = values ... }", repeatable=True, names=SEARCHES),
           "the search space (required): grid { ... }, random(samples = N) { ... }, ..."),
    Option("split", Structured("test = FRACTION, cv = FOLDS", show=lambda s: f"test = {s.test:g}, cv = {s.cv}"),
           "the validation rows: a held-out share, or cross-validation", default=SplitSpec()),
    Option("epochs", Int(1, 100_000), "passes over the training rows", default=1),
    Option("evaluate", Structured("every N steps", show=lambda n: f"every {n} steps"),
           "how often a trial is evaluated", default=100),
    Option("stop", Structured("when CONDITION", repeatable=True), "ends a trial early; several stop lines are or-ed"),
    Option("executor", Structured("local(...) or ray(...)", show=lambda e: f"{e.kind}()"),
           "where trials run", default=ExecutorSpec()),
    Option("seed", Int(0), "seeds the trials and random search", default=0),
    Option("metric", Structured("NAME min|max, ... (min|max optional)", show=" ".join),
           "the objective; more metrics make a Pareto front", default=("val_loss", "min")),
    Option("updates", Word(UPDATES), "per_sample: partial_fit, one update per row; per_batch: one step "
           "along the batch's mean gradient", default=attrs.fields(TuneSpec).updates.default),
    Option("use", Structured("NAME, ...: defined data sets", repeatable=True), "names defined at top level"),
)


def check_tune(ctx: Context, block: ast.Block) -> TuneSpec | None:
    before = len(ctx.errors)
    block, misnamed = _known_searches(ctx, block)
    stmts = Statements(ctx, block, KEYS)
    bound = stmts.bind()
    datasets = _datasets(ctx, stmts)
    algorithms = bound.get("algorithms", ())
    search = _search(ctx, stmts, misnamed)
    metric, mode = _objective(ctx, stmts)
    objectives = _more_objectives(ctx, stmts)
    spec = dict(
        name=block.name,
        datasets=datasets,
        algorithms=algorithms,
        split=_split(ctx, stmts),
        search=search,
        epochs=bound.get("epochs"),
        evaluate_every=_evaluate(ctx, stmts),
        stop=_stop(ctx, stmts),
        executor=stmts.value("executor", lambda v, _k: check_executor(ctx, v, EXECUTORS), stmts.default("executor")),
        seed=bound.get("seed"),
        metric=metric,
        mode=mode,
        loc=block.loc,
        updates=bound.get("updates"),
        objectives=objectives,
    )
    if len(ctx.errors) > before:
        return None
    if not any(fits(d, a) for d in datasets for a in algorithms):
        ctx.error(block.loc, f"no algorithm fits any data set's task type ({_tasks(datasets, algorithms)})")
        return None
    return TuneSpec(**spec)


def _tasks(datasets: tuple[DatasetSpec, ...], algorithms: tuple[str, ...]) -> str:
    """'linear_regression needs regression data; iris is classification data'."""
    by_task: dict[str, list[str]] = {}
    for name in algorithms:
        by_task.setdefault(ALGORITHMS.get(name).task, []).append(name)
    needs = [f"{' and '.join(names)} need{'s' if len(names) == 1 else ''} {task} data" for task, names in by_task.items()]
    data = [f"{d.name} is {dict(d.options)['task']} data" for d in datasets if dict(d.options).get("task")]
    return "; ".join(needs + data)


# ---------------------------------------------------------------- names from the registries


E = TypeVar("E", bound=Entry)


def _lookup(registry: Registry[E], name: str, loc: Loc) -> E:
    """The entry `name` names, or Invalid with the registry's message (did you mean, the names)."""
    try:
        return registry.get(name)
    except UnknownEntry as error:  # an unknown name, or a plugin that cannot be loaded
        raise Invalid(loc, str(error)) from None


def _entries(registry: Registry[E]) -> list[E]:
    """Every entry that loads (a broken plugin is reported where it is named)."""
    out: list[E] = []
    for name in registry.names():
        try:
            out.append(registry.get(name))
        except UnknownEntry:
            continue
    return out


# ---------------------------------------------------------------- data sets


def check_dataset(ctx: Context, value: ast.Value, defined_as: str | None = None) -> DatasetSpec | None:
    if isinstance(value, ast.Name):
        found = ctx.lookup(value, "dataset", (), "datasets")
        return found.value if found else None
    if not isinstance(value, ast.Call):
        ctx.error(value.loc, "expected a data set such as pmlb(\"529_pollen\") or csv(\"data.csv\", target = \"y\"), "
                             f"got {describe(value)}")
        return None
    checked = check_call(ctx, value, DATASETS, 'a data set such as pmlb("529_pollen")')
    if checked is None:
        return None
    source, options = checked
    assert isinstance(source, DatasetSource)  # check_call found it in DATASETS
    catalogue = source.catalogue() if source.catalogue is not None else None
    own = options.get("name")  # the source's own name for the data set (PMLB, scikit-learn)
    if catalogue and own not in catalogue:  # a typo is caught here, not at run time
        where = value.args[0].loc if value.args else value.loc
        listing = f"; choose one of {', '.join(catalogue)}" if len(catalogue) <= 20 else ""
        ctx.error(where, f"{value.name} has no data set named \"{own}\"{did_you_mean(str(own), catalogue)}{listing}")
        return None
    name = defined_as or source.label(options)
    if "name" in options and not defined_as:
        del options["name"]  # it is the display name; a defined data set keeps it for the loader
    # A declared task type pairs the data set with algorithms before it is loaded.
    options.setdefault("task", (catalogue or {}).get(own or "") or source.task)
    options = {k: v for k, v in options.items() if v is not None}
    return DatasetSpec(source.name, name, tuple(sorted(options.items())), value.loc)


def _datasets(ctx: Context, stmts: Statements) -> tuple[DatasetSpec, ...]:
    nodes: list[tuple[DatasetSpec | None, ast.Value]] = []
    value = stmts.value("datasets", lambda v, _key: v)
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "datasets is an empty list")
    if value is not None:
        nodes = [(check_dataset(ctx, item), item) for item in listed(value)]
    nodes += [(definition.value, name) for _, name, definition in used(ctx, stmts, ("dataset",))]
    if not nodes and stmts.missing("datasets"):
        ctx.error(stmts.block.loc, f'tune "{stmts.block.name}" is missing \'datasets\' (e.g. datasets [pmlb("529_pollen")])')
    out: list[DatasetSpec] = []
    for dataset, node in nodes:
        if dataset is None:
            continue
        same_name = [d for d in out if d.name == dataset.name]
        if same_name and same_name[0] == dataset:
            ctx.error(node.loc, f"data set '{dataset.name}' is listed twice")
        elif same_name:
            ctx.error(node.loc, f"another data set is also named '{dataset.name}' (line {same_name[0].loc.line}); "
                                "name one with dataset NAME = ... and use it")
        else:
            out.append(dataset)
    return tuple(out)


# ---------------------------------------------------------------- algorithms, split, objective


def _split(ctx: Context, stmts: Statements) -> SplitSpec:
    statements = stmts.all("split")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    if setting is None:
        return stmts.default("split")
    call = ast.Call("split", (), tuple(i for i in setting.items if isinstance(i, ast.Kwarg)), setting.loc)
    for item in setting.items:
        if isinstance(item, ast.Words):
            ctx.error(item.loc, "split takes named values, e.g. split test = 0.3, cv = 5")
    errors: list[Invalid] = []
    args = bind(call, option_args(SPLIT, ctx.base_dir), errors)
    if args.get("cv") == 1:
        errors.append(Invalid(setting.loc, "cv = 1 is not cross-validation; use cv = 0 (none) or at least 2 folds"))
    ctx.errors.extend(errors)
    return SplitSpec(**args)


def _objective(ctx: Context, stmts: Statements) -> tuple[str, str]:
    """The search's objective: the first `NAME [min|max]` of `metric`."""
    statements = stmts.all("metric")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    default: tuple[str, str] = stmts.default("metric")
    if setting is None:
        return default
    words = setting.items[0]
    if isinstance(words, ast.Kwarg) or len(words.values) > 2:
        ctx.error(setting.loc, METRIC_SHAPE)
        return default
    return _metric_mode(ctx, words) or default


METRIC_SHAPE = "write metric NAME [min|max], NAME [min|max] ..., e.g. metric val_loss min, memory_mb min"


def _more_objectives(ctx: Context, stmts: Statements) -> tuple[tuple[str, str], ...]:
    """The objectives after the first (`metric val_loss min, memory_mb min`): the Pareto
    front's, not the search's."""
    statements = stmts.all("metric")
    setting = statements[0] if statements and isinstance(statements[0], ast.Setting) else None  # else _objective said so
    if setting is None:
        return ()
    first = setting.items[0]  # as written: a misspelt first metric is _objective's error, not a duplicate
    out: list[tuple[str, str]] = []
    seen = [first.values[0].name] if isinstance(first, ast.Words) and isinstance(first.values[0], ast.Name) else []
    for item in setting.items[1:]:
        if isinstance(item, ast.Kwarg) or len(item.values) > 2:
            ctx.error(item.loc, METRIC_SHAPE)
            continue
        objective = _metric_mode(ctx, item)
        if objective and objective[0] in (*seen, *(name for name, _ in out)):
            ctx.error(item.loc, f"metric '{objective[0]}' is listed twice")
        elif objective:
            out.append(objective)
    return tuple(out)


def _metric_mode(ctx: Context, words: ast.Words) -> tuple[str, str] | None:
    """`NAME [min|max]`; without a mode, the metric's better direction."""
    metric = ctx.attempt(as_entry_name, words.values[0], "metric", METRICS)
    if metric is None:
        return None
    if len(words.values) == 1:
        return metric, "max" if METRICS.get(metric).higher_is_better else "min"
    mode = ctx.attempt(as_word, words.values[1], "mode", ("min", "max"))
    return (metric, mode) if mode else None


def _evaluate(ctx: Context, stmts: Statements) -> int:
    statements = stmts.all("evaluate")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    default: int = stmts.default("evaluate")
    if setting is None:
        return default
    values = setting.items[0].values if isinstance(setting.items[0], ast.Words) else ()
    shape = (
        len(setting.items) == 1 and len(values) == 3 and isinstance(values[0], ast.Name) and values[0].name == "every"
        and isinstance(values[2], ast.Name) and values[2].name in ("steps", "step")
    )
    if not shape:
        ctx.error(setting.loc, "write evaluate every N steps, e.g. evaluate every 100 steps")
        return default
    return ctx.attempt(as_int, values[1], "evaluate every", 1, 10**9) or default


# ---------------------------------------------------------------- search space


def _known_searches(ctx: Context, block: ast.Block) -> tuple[ast.Block, bool]:
    """The block without its `METHOD { ... }` statements that name no search method (after
    reporting them), and whether there were any."""
    keys = block_keys(KEYS)
    unknown = [s for s in block.body if isinstance(s, ast.Search) and s.head.name not in keys]
    for statement in unknown:
        ctx.attempt(_lookup, SEARCHES, statement.head.name, statement.head.loc)
    if not unknown:
        return block, False
    return attrs.evolve(block, body=tuple(s for s in block.body if s not in unknown)), True


def _search(ctx: Context, stmts: Statements, misnamed: bool) -> SearchSpec | None:
    searches = [key for key, option in stmts.keys.items() if option.name == "search"]
    found = [s for key in searches for s in stmts.all(key)]
    if not found and not misnamed and stmts.missing(*searches):
        examples = [_example(m) for m in _entries(SEARCHES)]
        listing = ", ".join(examples[:-1]) + " or " + examples[-1] if len(examples) > 1 else "".join(examples)
        ctx.error(stmts.block.loc, f'tune "{stmts.block.name}" is missing a search space ({listing})')
    if not found:
        return None
    found.sort(key=lambda s: (s.loc.line, s.loc.column))
    for extra in found[1:]:
        ctx.error(extra.loc, f"a tune block has one search space; there is already one on line {found[0].loc.line}")
    search = found[0]
    if not isinstance(search, ast.Search):
        ctx.error(search.loc, f"write {search.key} {{ name = values ... }}")
        return None
    head = search.head
    method = ctx.attempt(_lookup, SEARCHES, head.name, head.loc)
    if method is None:
        return None
    call = head if isinstance(head, ast.Call) else ast.Call(head.name, (), (), head.loc)
    errors: list[Invalid] = []
    call, models, plain = take_models(ctx, call, method.options)
    options = {**bind(call, option_args(plain, ctx.base_dir), errors), **models}
    errors.extend(_scheduler_errors(call, options))
    samples = options.pop("samples", method.option("samples").default) if method.option("samples") else 1
    if not search.params:
        errors.append(Invalid(search.loc, f"{method.name} {{ }} is empty; give each parameter its values, e.g. batch_size = [32, 64]"))
    space: list[Param] = []
    for param in search.params:
        checked = _param(method, param, errors)
        if checked is None:
            continue
        if any(p.name == checked.name for p in space):
            errors.append(Invalid(param.loc, f"parameter '{param.name}' is set twice"))
            continue
        space.append(checked)
    spec = SearchSpec(method.name, tuple(space), samples, tuple(sorted(options.items())), search.loc)
    if method.check is not None and not errors and (problem := method.check(spec)):
        errors.append(Invalid(search.loc, problem))
    ctx.errors.extend(errors)
    return None if errors else spec


def _example(method: SearchMethod) -> str:
    """How a search is written, e.g. `random(samples = N) { ... }`, `llm(model, samples = N) { ... }`."""
    args = [o.name for o in method.options if o.required] + (["samples = N"] if method.option("samples") else [])
    return f"{method.name}({', '.join(args)}) {{ ... }}" if args else f"{method.name} {{ ... }}"


def _scheduler_errors(head: ast.Call, options: dict) -> list[Invalid]:
    """ASHA's settings only mean something with `scheduler = asha`, and its first rung
    must come before the end it enforces."""
    where = {kwarg.name: kwarg.loc for kwarg in head.kwargs}
    tuning = [name for name in ("grace_period", "reduction_factor", "max_t") if name in options]
    if options.get("scheduler") != "asha":
        return [Invalid(where[name], f"{name} is a setting of the ASHA scheduler; add scheduler = asha or remove it")
                for name in tuning]
    if options.get("grace_period", 1) >= options.get("max_t", 1 << 30):
        return [Invalid(where.get("max_t", head.loc), "max_t must be above grace_period: ASHA's first rung is at grace_period evaluations")]
    return []


def _param(method: SearchMethod, param: ast.Param, errors: list[Invalid]) -> Param | None:
    if param.name not in PARAMS:
        hint = did_you_mean(param.name, PARAMS)
        errors.append(Invalid(param.loc, f"unknown parameter '{param.name}'{hint}; parameters: {', '.join(PARAMS)}"))
        return None
    value = param.value
    domain: Domain
    try:
        if isinstance(value, ast.Call):
            if method.finite:
                sampling = " or ".join(f"{m.name}(...)" for m in _entries(SEARCHES) if not m.finite)
                raise Invalid(value.loc, f"a {method.name} needs a finite list of values; {value.name}(...) is sampled, so use {sampling}")
            domain = _distribution(value)
        else:
            domain = Values(as_values(value, param.name))
        _check_param_values(param.name, domain, value)
    except Invalid as error:
        errors.append(error)
        return None
    return Param(param.name, domain, param.loc)


DISTRIBUTIONS = ("uniform", "loguniform", "randint", "choice")


def _distribution(call: ast.Call) -> Distribution:
    if call.name not in DISTRIBUTIONS:
        hint = did_you_mean(call.name, DISTRIBUTIONS)
        raise Invalid(call.loc, f"unknown distribution '{call.name}'{hint}; use {', '.join(DISTRIBUTIONS)} or a list")
    if call.kwargs:
        raise Invalid(call.kwargs[0].loc, f"{call.name}() takes no named arguments")
    if call.name == "choice":
        if len(call.args) != 1 or not isinstance(call.args[0], ast.List):
            raise Invalid(call.loc, "write choice([a, b, ...]) with one list")
        return Distribution("choice", (as_values(call.args[0], "choice"),))
    if len(call.args) != 2:
        raise Invalid(call.loc, f"{call.name}() takes two numbers: the low and the high end")
    low: float
    high: float
    if call.name == "randint":
        low, high = (as_int(a, "randint") for a in call.args)
    else:
        low, high = (as_number(a, call.name) for a in call.args)
    if low > high or (low == high and call.name != "randint"):
        raise Invalid(call.args[1].loc, f"{call.name}({low:g}, {high:g}) is empty: the high end must be above the low end")
    if call.name == "loguniform" and low <= 0:
        raise Invalid(call.args[0].loc, "loguniform needs a low end above zero")
    return Distribution(call.name, (low, high))


def _check_param_values(name: str, domain, node: ast.Value) -> None:
    kind = PARAMS[name].type  # Int or Number, with its limits
    low, high = kind.low, kind.high
    values = domain.values if isinstance(domain, Values) else domain.args[0] if domain.kind == "choice" else domain.args
    for v in values:
        number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if not number or (isinstance(kind, Int) and not isinstance(v, int)) or not low <= v <= high:
            wanted = "a whole number" if isinstance(kind, Int) else "a number"
            raise Invalid(node.loc, f"{name} must be {wanted} from {low:g} to {high:g}, got {v!r}")


# ---------------------------------------------------------------- stop rules


def _stop(ctx: Context, stmts: Statements) -> Rule | None:
    rules = []
    for statement in stmts.all("stop"):
        if not isinstance(statement, ast.Stop):
            ctx.error(statement.loc, "write stop when CONDITION, e.g. stop when memory_mb > 512")
            continue
        rule = ctx.attempt(_rule, statement.condition, ctx)
        if rule is not None:
            rules.append(rule)
    if not rules:
        return None
    return rules[0] if len(rules) == 1 else AnyOf(tuple(rules))


def _rule(node, ctx: Context) -> Rule:
    if isinstance(node, ast.AnyOf):
        return AnyOf(tuple(_rule(n, ctx) for n in node.items))
    if isinstance(node, ast.AllOf):
        return AllOf(tuple(_rule(n, ctx) for n in node.items))
    if isinstance(node, ast.Call):
        return _rule_call(node, ctx)
    metric = _lookup(METRICS, node.metric, node.loc).name
    return Compare(metric, node.op, _threshold(metric, node.value), node.loc)


def _threshold(metric: str, value: ast.Value) -> float:
    """The number a metric is compared with; a duration or size is converted to the
    metric's own unit (step_time_ms > 2s is 2000)."""
    unit = METRICS.get(metric).unit
    if isinstance(value, ast.Quantity):
        if value.unit in DURATION_UNITS and unit in ("ms", "s"):
            return value.number * DURATION_UNITS[value.unit] / DURATION_UNITS[unit]
        if value.unit in SIZE_UNITS and unit == "MiB":
            return value.number * SIZE_UNITS[value.unit] / SIZE_UNITS["MiB"]
        fits = {"ms": "a duration", "s": "a duration", "MiB": "a size"}.get(unit, "a plain number")
        raise Invalid(value.loc, f"{metric} is compared with {fits}; the unit of '{value.text}' does not fit")
    return as_number(value, metric)


def _rule_call(call: ast.Call, ctx: Context) -> RuleCall:
    try:
        entry = RULES.get(call.name)
    except UnknownEntry as error:
        raise Invalid(call.loc, f"{error} (or write a comparison such as memory_mb > 512)") from None
    errors: list[Invalid] = []
    before = len(ctx.errors)
    call, models, plain = take_models(ctx, call, entry.options)  # a rule that asks a model: llm(local(), ...)
    args = {**bind(call, option_args(plain, ctx.base_dir), errors), **models}
    if errors:
        raise errors[0]
    if len(ctx.errors) > before:  # take_models said what is wrong with the model: that is the rule's error
        raise ctx.errors.pop()
    given = {o.name: args.get(o.name, o.default) for o in entry.options}
    return RuleCall(entry.name, tuple(sorted((k, v) for k, v in given.items() if v is not None)), call.loc)


# ---------------------------------------------------------------- the block kind


def _units(block: TuneSpec, base_dir: str | None) -> list:
    from benchrun.tuning.plan import trial_units

    return trial_units(block)


def _summary(block: TuneSpec, units: list) -> dict[str, Any]:
    from benchrun.tuning.plan import summary

    return summary(block, units)


def _show(summary: dict[str, Any], console) -> None:
    from rich.table import Table

    trials = summary.get("trials", summary["units"])
    pairs = len(summary["by_dataset"]) and trials // max(summary["grid_size"], 1)
    holdouts = summary["units"] - trials
    held = f", and {holdouts} held-out evaluation{'s' if holdouts != 1 else ''} (cv)" if holdouts else ""
    console.print(
        f"[bold]tune \"{summary['name']}\"[/]: {trials} trials = {summary['grid_size']} "
        f"{summary['search']} points x {pairs} (data set, algorithm) pairs{held}",
        soft_wrap=True,
    )
    space = Table("parameter", "values", title="search space", title_justify="left")
    for name, label in summary["space"].items():
        space.add_row(name, label)
    console.print(space)
    for what, key in (("data set", "by_dataset"), ("algorithm", "by_algorithm")):
        table = Table(what, "units", title=f"by {what}", title_justify="left")
        for name, n in summary[key].items():
            table.add_row(str(name), str(n))
        console.print(table)
    if "estimate" in summary:
        _show_estimate(summary["estimate"], console)


def _estimate(block: TuneSpec, units: list, progress) -> dict[str, Any]:
    from benchrun.tuning.calibrate import estimate
    from benchrun.tuning.datasets import PMLB_CACHE_ENV

    return estimate(block, units, os.environ.get(PMLB_CACHE_ENV), progress)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _show_estimate(estimate: dict[str, Any], console) -> None:
    from rich.table import Table

    table = Table("data set", "algorithm", "rows", "folds", "trials", "steps", "ms/step", "ms/eval", "timed", "CPU",
                  title="estimated CPU time (ms/step: CPU per step, all folds, at the smallest .. largest batch; "
                        "rows: training rows of a fold; timed: batch sizes timed)", title_justify="left")
    for pair in estimate["pairs"]:
        steps = {int(k): v for k, v in pair["step_cpu_s"].items()}
        timed = pair["measured"]
        table.add_row(pair["dataset"], pair["algorithm"], f"{pair['train_rows']:,}", str(pair["folds"]), str(pair["trials"]),
                      f"{pair['steps']:,}", f"{1000 * steps[min(steps)]:.3g}..{1000 * steps[max(steps)]:.3g}",
                      f"{1000 * pair['eval_cpu_s']:.3g}", f"{min(timed)}..{max(timed)}" if timed else "-",
                      _duration(pair["cpu_s"]))
    console.print(table)
    reused = all(pair.get("reused") for pair in estimate["pairs"])
    calibration = ("the timings of an earlier block on the same data sets and batch sizes, from a calibration"
                   if reused else f"a {estimate['calibration_wall_s']:.1f} s calibration")
    console.print(
        f"estimated CPU time: {_duration(estimate['cpu_s'])} for {estimate['trials']} trials "
        f"({estimate['steps']:,} steps), each running its whole budget; from {calibration} that timed a few steps "
        "and evaluations per data set, algorithm and batch size with the trial's own code and extrapolated "
        "(batches larger than the last timed one by their cost per row). CPU time, not wall time: "
        "divide by the CPUs the trials run on at once.", soft_wrap=True)
    if estimate.get("adaptive"):
        console.print("an adaptive search's batch sizes are known only when it runs: its trials are counted at batch 32",
                      soft_wrap=True)


def _results_hint(spec_path: str, db_flag: str) -> str:
    return f'benchrun sql "SELECT * FROM trial_summary" --spec {spec_path}{db_flag}'


TUNE = BlockKind(
    name="tune", doc="a hyperparameter search over SGD models, with system metrics and stop rules",
    options=KEYS, check=check_tune, units=_units,
    # unit kind (benchrun.tuning.plan.TRIAL, HOLDOUT) -> its workload, in run order
    workloads={"trial": "benchrun.tuning.workload:TuneWorkload", "holdout": "benchrun.tuning.holdout:HoldoutWorkload"},
    summary=_summary, show=_show, results_hint=_results_hint, estimate=_estimate,
    definitions=(Definition(kind="dataset", check=check_dataset, used_as="data sets"),),
    reports=os.path.join(os.path.dirname(__file__), "reports"),
    tables=os.path.join(os.path.dirname(__file__), "tables.sql"),
    views=os.path.join(os.path.dirname(__file__), "views.sql"),
)
