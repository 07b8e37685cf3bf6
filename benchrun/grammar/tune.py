"""Checking `tune "name" { ... }` blocks: data sets, algorithms, the search space, the
evaluation cadence, stop rules, the executor and the objective."""
from __future__ import annotations

import os
from functools import partial

from benchrun.grammar import ast
from benchrun.grammar.catalog import ALGORITHMS, METRICS, PARAMS, SKLEARN_TASKS, TASK_TYPES, pmlb_tasks
from benchrun.grammar.errors import did_you_mean
from benchrun.grammar.spec import (
    AllOf, AnyOf, Compare, DatasetSpec, Distribution, ExecutorSpec, NoImprovement, Param, Rule,
    SearchSpec, SplitSpec, TuneSpec, Values,
)
from benchrun.grammar.validate import Context, Statements, listed, settings, used
from benchrun.grammar.values import (
    DURATION_UNITS, SIZE_UNITS, Arg, Invalid, as_bool, as_int, as_number, as_path, as_str, as_values, as_word, bind,
    describe,
)

SEARCHES = ("grid", "random", "optuna")
UPDATES = ("per_sample", "per_batch")
KEYS = ("datasets", "algorithms", "split", *SEARCHES, "epochs", "evaluate", "stop", "executor", "seed",
        "metric", "updates", "use")
MAX_GRID = 1_000_000


def check_tune(ctx: Context, block: ast.Block) -> TuneSpec | None:
    before = len(ctx.errors)
    stmts = Statements(ctx, block, KEYS, repeatable=("use", "stop", *SEARCHES))
    datasets = _datasets(ctx, stmts)
    algorithms = _algorithms(ctx, stmts)
    search = _search(ctx, stmts)
    metric, mode = _objective(ctx, stmts)
    spec = dict(
        name=block.name,
        datasets=datasets,
        algorithms=algorithms,
        split=_split(ctx, stmts),
        search=search,
        epochs=stmts.value("epochs", partial(as_int, low=1, high=100_000), 1),
        evaluate_every=_evaluate(ctx, stmts),
        stop=_stop(ctx, stmts),
        executor=stmts.value("executor", lambda v, _k: _executor(ctx, v), ExecutorSpec()),
        seed=stmts.value("seed", partial(as_int, low=0), 0),
        metric=metric,
        mode=mode,
        loc=block.loc,
        updates=stmts.value("updates", partial(as_word, choices=UPDATES), "per_sample"),
    )
    stmts.require("algorithms")
    if len(ctx.errors) > before:
        return None
    if not any(_pairs(d, a) for d in datasets for a in algorithms):
        ctx.error(block.loc, "no algorithm fits any data set's task type (linear_regression needs regression data; logistic_regression and svm need classification data)")
        return None
    return TuneSpec(**spec)


def _pairs(dataset: DatasetSpec, algorithm: str) -> bool:
    task = dict(dataset.options).get("task")
    return task is None or ALGORITHMS[algorithm] == task


# ---------------------------------------------------------------- data sets

DATASET_KINDS = ("pmlb", "sklearn", "csv", "parquet", "synthetic")


def _dataset_args(kind: str, base_dir: str) -> list[Arg]:
    task = Arg("task", partial(as_word, choices=TASK_TYPES))
    if kind in ("pmlb", "sklearn"):
        return [Arg("name", as_str, required=True, positional=True), task]
    if kind in ("csv", "parquet"):
        suffixes = (".csv", ".csv.gz", ".tsv") if kind == "csv" else (".parquet", ".pq")
        return [Arg("path", partial(as_path, base_dir=base_dir, suffixes=suffixes), required=True, positional=True),
                Arg("target", as_str, required=True), task]
    return [Arg("rows", partial(as_int, low=2, high=10**9), required=True), Arg("features", partial(as_int, low=1, high=100_000), required=True),
            task, Arg("classes", partial(as_int, low=2, high=1000)), Arg("noise", partial(as_number, low=0.0)),
            Arg("seed", partial(as_int, low=0))]


def check_dataset(ctx: Context, value: ast.Value, defined_as: str | None = None) -> DatasetSpec | None:
    if isinstance(value, ast.Name):
        found = ctx.lookup(value, "dataset", (), "datasets")
        return found.value if found else None
    if not isinstance(value, ast.Call):
        ctx.error(value.loc, f"expected a data set such as pmlb(\"529_pollen\") or csv(\"data.csv\", target = \"y\"), got {describe(value)}")
        return None
    if value.name not in DATASET_KINDS:
        ctx.error(value.loc, f"unknown data set kind '{value.name}'{did_you_mean(value.name, DATASET_KINDS)}; kinds: {', '.join(DATASET_KINDS)}")
        return None
    errors: list[Invalid] = []
    options = bind(value, _dataset_args(value.name, ctx.base_dir), errors)
    if not errors:
        _check_known(value, options, errors)
    ctx.errors.extend(errors)
    if errors:
        return None
    kind = value.name
    if kind in ("pmlb", "sklearn"):
        name = options.pop("name")
        known = SKLEARN_TASKS if kind == "sklearn" else pmlb_tasks()
        options.setdefault("task", known.get(name))  # declared task types pair data with algorithms
        if defined_as:
            options["name"] = name  # the loader fetches options["name"]; `name` is for display
        name = defined_as or name
    elif kind in ("csv", "parquet"):
        name = defined_as or os.path.basename(options["path"]).split(".")[0]
    else:
        options.setdefault("task", "regression")
        name = defined_as or f"synthetic_{options['rows']}x{options['features']}"
    options = {k: v for k, v in options.items() if v is not None}
    return DatasetSpec(kind, name, tuple(sorted(options.items())), value.loc)


def _check_known(call: ast.Call, options: dict, errors: list[Invalid]) -> None:
    """pmlb and sklearn names come from fixed catalogues: a typo is caught here, not at run time."""
    if call.name not in ("pmlb", "sklearn"):
        return
    known = SKLEARN_TASKS if call.name == "sklearn" else pmlb_tasks()
    name = options.get("name")
    if known and name not in known:
        where = call.args[0].loc if call.args else call.loc
        listing = "" if call.name == "pmlb" else f"; choose one of {', '.join(known)}"
        errors.append(Invalid(where, f"{call.name} has no data set named \"{name}\"{did_you_mean(name, known)}{listing}"))


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
            ctx.error(node.loc, f"another data set is also named '{dataset.name}' (line {same_name[0].loc.line}); name one with dataset NAME = ... and use it")
        else:
            out.append(dataset)
    return tuple(out)


# ---------------------------------------------------------------- algorithms, split, objective


def _algorithms(ctx: Context, stmts: Statements) -> tuple[str, ...]:
    value = stmts.value("algorithms", lambda v, _key: v)
    if value is None:
        return ()
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "algorithms is an empty list")
    out: list[str] = []
    for item in listed(value):
        name = ctx.attempt(as_word, item, "algorithm", tuple(ALGORITHMS))
        if name in out:
            ctx.error(item.loc, f"algorithm '{name}' is listed twice")
        elif name is not None:
            out.append(name)
    return tuple(out)


def _split(ctx: Context, stmts: Statements) -> SplitSpec:
    statements = stmts.all("split")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    if setting is None:
        return SplitSpec()
    call = ast.Call("split", (), tuple(i for i in setting.items if isinstance(i, ast.Kwarg)), setting.loc)
    for item in setting.items:
        if isinstance(item, ast.Words):
            ctx.error(item.loc, "split takes named values, e.g. split test = 0.3, cv = 5")
    errors: list[Invalid] = []
    args = bind(call, [Arg("test", partial(as_number, low=0.01, high=0.99)), Arg("cv", partial(as_int, low=0, high=100))], errors)
    if args.get("cv") == 1:
        errors.append(Invalid(setting.loc, "cv = 1 is not cross-validation; use cv = 0 (none) or at least 2 folds"))
    ctx.errors.extend(errors)
    return SplitSpec(**args)


def _objective(ctx: Context, stmts: Statements) -> tuple[str, str]:
    statements = stmts.all("metric")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    if setting is None:
        return "val_loss", "min"
    words = setting.items[0]
    if isinstance(words, ast.Kwarg) or len(setting.items) > 1 or len(words.values) > 2:
        ctx.error(setting.loc, "write metric NAME [min|max], e.g. metric val_loss min")
        return "val_loss", "min"
    metric = ctx.attempt(as_word, words.values[0], "metric", tuple(METRICS)) or "val_loss"
    if len(words.values) == 2:
        mode = ctx.attempt(as_word, words.values[1], "mode", ("min", "max")) or "min"
    else:
        mode = "max" if metric == "accuracy" else "min"
    return metric, mode


def _evaluate(ctx: Context, stmts: Statements) -> int:
    statements = stmts.all("evaluate")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    if setting is None:
        return 100
    values = setting.items[0].values if isinstance(setting.items[0], ast.Words) else ()
    shape = (
        len(setting.items) == 1 and len(values) == 3 and isinstance(values[0], ast.Name) and values[0].name == "every"
        and isinstance(values[2], ast.Name) and values[2].name in ("steps", "step")
    )
    if not shape:
        ctx.error(setting.loc, "write evaluate every N steps, e.g. evaluate every 100 steps")
        return 100
    return ctx.attempt(as_int, values[1], "evaluate every", 1, 10**9) or 100


def _executor(ctx: Context, value: ast.Value) -> ExecutorSpec | None:
    call = ast.Call(value.name, (), (), value.loc) if isinstance(value, ast.Name) else value
    if not isinstance(call, ast.Call) or call.name not in ("local", "ray"):
        name = call.name if isinstance(call, ast.Call) else ""
        hint = did_you_mean(name, ["local", "ray"]) if name else ""
        raise Invalid(value.loc, f"executor must be local(...) or ray(...), got {describe(value)}{hint}")
    args = [Arg("max_concurrent", partial(as_int, low=1, high=10_000))]
    if call.name == "ray":
        args += [Arg("cpus_per_trial", partial(as_number, low=0.01, high=1024)), Arg("address", as_str),
                 Arg("reuse_actors", as_bool)]
    errors: list[Invalid] = []
    options = bind(call, args, errors)
    ctx.errors.extend(errors)
    return None if errors else ExecutorSpec(call.name, tuple(sorted(options.items())))


# ---------------------------------------------------------------- search space


def _search(ctx: Context, stmts: Statements) -> SearchSpec | None:
    found = [s for key in SEARCHES for s in stmts.all(key)]
    if not found and stmts.missing(*SEARCHES):
        ctx.error(stmts.block.loc, f'tune "{stmts.block.name}" is missing a search space (grid {{ ... }}, random(samples = N) {{ ... }} or optuna(samples = N) {{ ... }})')
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
    method = head.name
    errors: list[Invalid] = []
    options: dict = {}
    if isinstance(head, ast.Call):
        args = [] if method == "grid" else [Arg("samples", partial(as_int, low=1, high=MAX_GRID))]
        if method == "optuna":
            args.append(Arg("sampler", partial(as_word, choices=("tpe", "random", "cmaes"))))
        if method != "grid":  # ASHA ends weak trials early (on Ray); a grid runs every point out
            args += [Arg("scheduler", partial(as_word, choices=("asha",))),
                     Arg("grace_period", partial(as_int, low=1, high=10**9)),
                     Arg("reduction_factor", partial(as_number, low=1.01, high=1000)),
                     Arg("max_t", partial(as_int, low=1, high=10**9))]
        options = bind(head, args, errors)
        errors.extend(_scheduler_errors(head, options))
    samples = options.pop("samples", 10)
    if not search.params:
        errors.append(Invalid(search.loc, f"{method} {{ }} is empty; give each parameter its values, e.g. batch_size = [32, 64]"))
    space: list[Param] = []
    for param in search.params:
        checked = _param(ctx, method, param, errors)
        if checked is None:
            continue
        if any(p.name == checked.name for p in space):
            errors.append(Invalid(param.loc, f"parameter '{param.name}' is set twice"))
            continue
        space.append(checked)
    if method == "grid" and not errors:
        size = 1
        for p in space:
            size *= len(p.domain.values)
        if size > MAX_GRID:
            errors.append(Invalid(search.loc, f"this grid has {size} points, more than {MAX_GRID}; use random or optuna"))
    ctx.errors.extend(errors)
    if errors:
        return None
    return SearchSpec(method, tuple(space), samples if method != "grid" else 1, tuple(sorted(options.items())), search.loc)


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


def _param(ctx: Context, method: str, param: ast.Param, errors: list[Invalid]) -> Param | None:
    if param.name not in PARAMS:
        errors.append(Invalid(param.loc, f"unknown parameter '{param.name}'{did_you_mean(param.name, PARAMS)}; parameters: {', '.join(PARAMS)}"))
        return None
    value = param.value
    try:
        if isinstance(value, ast.Call):
            if method == "grid":
                raise Invalid(value.loc, f"a grid needs a finite list of values; {value.name}(...) is sampled, so use random(...) or optuna(...)")
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
        raise Invalid(call.loc, f"unknown distribution '{call.name}'{did_you_mean(call.name, DISTRIBUTIONS)}; use {', '.join(DISTRIBUTIONS)} or a list")
    if call.kwargs:
        raise Invalid(call.kwargs[0].loc, f"{call.name}() takes no named arguments")
    if call.name == "choice":
        if len(call.args) != 1 or not isinstance(call.args[0], ast.List):
            raise Invalid(call.loc, "write choice([a, b, ...]) with one list")
        return Distribution("choice", (as_values(call.args[0], "choice"),))
    if len(call.args) != 2:
        raise Invalid(call.loc, f"{call.name}() takes two numbers: the low and the high end")
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
    kind, low, high = PARAMS[name]
    values = domain.values if isinstance(domain, Values) else domain.args[0] if domain.kind == "choice" else domain.args
    for v in values:
        number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if not number or (kind == "int" and not isinstance(v, int)) or not low <= v <= high:
            wanted = "a whole number" if kind == "int" else "a number"
            raise Invalid(node.loc, f"{name} must be {wanted} from {low:g} to {high:g}, got {v!r}")


# ---------------------------------------------------------------- stop rules


def _stop(ctx: Context, stmts: Statements) -> Rule | None:
    rules = []
    for statement in stmts.all("stop"):
        if not isinstance(statement, ast.Stop):
            ctx.error(statement.loc, "write stop when CONDITION, e.g. stop when memory_mb > 512")
            continue
        rule = ctx.attempt(_rule, statement.condition)
        if rule is not None:
            rules.append(rule)
    if not rules:
        return None
    return rules[0] if len(rules) == 1 else AnyOf(tuple(rules))


def _rule(node) -> Rule:
    if isinstance(node, ast.AnyOf):
        return AnyOf(tuple(_rule(n) for n in node.items))
    if isinstance(node, ast.AllOf):
        return AllOf(tuple(_rule(n) for n in node.items))
    if isinstance(node, ast.Call):
        return _no_improvement(node)
    metric = _metric(node.metric, node.loc)
    return Compare(metric, node.op, _threshold(metric, node.value), node.loc)


def _metric(name: str, loc) -> str:
    if name not in METRICS:
        raise Invalid(loc, f"unknown metric '{name}'{did_you_mean(name, METRICS)}; metrics: {', '.join(METRICS)}")
    return name


def _threshold(metric: str, value: ast.Value) -> float:
    """The number a metric is compared with; a duration or size is converted to the
    metric's own unit (step_time_ms > 2s is 2000)."""
    unit = METRICS[metric]
    if isinstance(value, ast.Quantity):
        if value.unit in DURATION_UNITS and unit in ("ms", "s"):
            return value.number * DURATION_UNITS[value.unit] / DURATION_UNITS[unit]
        if value.unit in SIZE_UNITS and unit == "MiB":
            return value.number * SIZE_UNITS[value.unit] / SIZE_UNITS["MiB"]
        fits = {"ms": "a duration", "s": "a duration", "MiB": "a size"}.get(unit, "a plain number")
        raise Invalid(value.loc, f"{metric} is compared with {fits}; the unit of '{value.text}' does not fit")
    return as_number(value, metric)


def _no_improvement(call: ast.Call) -> NoImprovement:
    if call.name != "no_improvement":
        raise Invalid(call.loc, f"unknown stop rule '{call.name}()'{did_you_mean(call.name, ['no_improvement'])}; use a comparison such as memory_mb > 512 or no_improvement(val_loss)")
    errors: list[Invalid] = []
    args = bind(call, [
        Arg("metric", lambda v, what: _metric(v.name, v.loc) if isinstance(v, ast.Name) else as_word(v, what, tuple(METRICS)), required=True, positional=True),
        Arg("evaluations", partial(as_int, low=1, high=100_000)),
        Arg("min_delta", partial(as_number, low=0.0)),
    ], errors)
    if errors:
        raise errors[0]
    return NoImprovement(args["metric"], args.get("evaluations", 5), args.get("min_delta", 0.0), call.loc)
