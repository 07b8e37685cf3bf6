"""The `benchmark "name" { ... }` block kind: checking the block and the tasks, models,
strategies and sandbox it names, and how `benchrun plan` shows it."""
from __future__ import annotations

import glob
import os
from functools import partial

import attrs

from benchrun.blocks import BlockKind, Definition
from benchrun.codegen.executors import JUDGING
from benchrun.codegen.spec import BenchmarkSpec, Budget, TaskSource
from benchrun.codegen.tasks import LEVELS
from benchrun.grammar import ast
from benchrun.grammar.calls import bare_names, check_executor, check_model, check_sandbox, check_strategy
from benchrun.grammar.errors import did_you_mean
from benchrun.grammar.spec import ExecutorSpec, ModelSpec, SandboxSpec, StrategySpec
from benchrun.grammar.validate import Context, Statements, listed, settings, used
from benchrun.grammar.values import Arg, Invalid, as_number, as_path, as_str, bind, describe
from benchrun.registry import Int, Number, Option, Several, Structured, Word

BUDGET_UNITS = ("USD", "tokens")

# The block's keys, declared once: `Statements` binds them (unknown and repeated keys,
# the simple keys' types, limits and defaults), `benchrun plugins blocks` lists them, and
# the structured ones are checked below, with their defaults from here.
KEYS = (
    Option("tasks", Structured('a folder glob "tasks/*" or humaneval("file.jsonl"), or a list of them'),
           "the tasks to adapt", required=True),
    Option("models", Structured("a model or a list: local(), openai(...), vllm(...), oracle or a defined model"),
           "the models under test; required unless `use` names some"),
    Option("strategies", Structured("a strategy or a list: zero_shot, hints, tuned(...), ..."),
           "how each model is prompted", default="zero_shot"),
    Option("instructions", Several(Word(LEVELS), "instruction level"),
           "which instructions of a task prompt the models (brief: the outcome only; detailed: also how)",
           default=attrs.fields(BenchmarkSpec).levels.default),
    Option("samples", Int(1, 10_000), "samples per task, model, strategy and instruction level", default=1),
    Option("temperature", Number(0.0, 2.0), "sampling temperature", default=0.2),
    Option("max_tokens", Int(1, 1_000_000), "longest answer, in tokens", default=1024),
    Option("seed", Int(0), "the base seed: sample i is drawn with seed + i", default=0),
    Option("score", Structured("pass@k or a list of them", show=lambda ks: ", ".join(f"pass@{k}" for k in ks)),
           "the pass@k reported", default=(1,)),
    Option("sandbox", Structured("docker(...), local(...) or a defined sandbox", show=lambda s: f"{s.backend}()"),
           "where each sample is judged", default=SandboxSpec(backend="docker")),
    Option("concurrency", Int(1, 1024), "samples judged at once, and cells asking their model at once (executor local)", default=2),
    Option("executor", Structured("local() or ray(...)", show=lambda e: f"{e.kind}()"),
           "where samples are judged: this machine or a Ray cluster", default=ExecutorSpec()),
    Option("budget", Structured("AMOUNT USD or N tokens"), "stop asking models once this is spent"),
    Option("use", Structured("NAME, ...: defined models and a sandbox", repeatable=True), "names defined at top level"),
)


def check_benchmark(ctx: Context, block: ast.Block) -> BenchmarkSpec | None:
    before = len(ctx.errors)
    stmts = Statements(ctx, block, KEYS)
    bound = stmts.bind()
    tasks = _tasks(ctx, stmts)
    models, sandbox = _models_and_sandbox(ctx, stmts)
    strategies = _strategies(ctx, stmts)
    levels = bound.get("instructions", ())
    spec = dict(
        name=block.name,
        tasks=tasks,
        models=models,
        strategies=strategies,
        samples=bound.get("samples"),
        temperature=bound.get("temperature"),
        max_tokens=bound.get("max_tokens"),
        seed=bound.get("seed"),
        # A wrong `samples` is reported once; pass@k is then not compared against it.
        scores=_scores(ctx, stmts, bound.get("samples")),
        sandbox=sandbox or stmts.default("sandbox"),
        concurrency=bound.get("concurrency"),
        loc=block.loc,
        budget=_budget(ctx, stmts),
        executor=_executor(ctx, stmts, sandbox),
        levels=levels,
    )
    _dev_apart(ctx, tasks, strategies)
    _briefs_present(ctx, stmts, tasks, levels)
    return None if len(ctx.errors) > before else BenchmarkSpec(**spec)


# ---------------------------------------------------------------- tasks


def _tasks(ctx: Context, stmts: Statements) -> tuple[TaskSource, ...]:
    value = stmts.value("tasks", lambda v, _key: v)
    if value is None:
        return ()
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "tasks is an empty list")
    sources = [ctx.attempt(_task_source, ctx, item) for item in listed(value)]
    return tuple(s for s in sources if s is not None)


def _task_source(ctx: Context, value: ast.Value) -> TaskSource:
    if isinstance(value, ast.Str):
        return _task_glob(ctx, value)
    if isinstance(value, ast.Call) and value.name == "humaneval":
        errors: list[Invalid] = []
        path = partial(as_path, base_dir=ctx.base_dir, suffixes=(".jsonl", ".jsonl.gz"))
        args = bind(value, [Arg("path", lambda v, what: (as_str(v, what), path(v, what)), required=True, positional=True)], errors)
        ctx.errors.extend(errors[1:])
        if errors:
            raise errors[0]
        pattern, resolved = args["path"]
        return TaskSource("humaneval", pattern, (resolved,), value.loc)
    if isinstance(value, ast.Call):
        hint = did_you_mean(value.name, ["humaneval"])
        raise Invalid(value.loc, f"unknown task source '{value.name}()'{hint}; use a folder glob \"tasks/*\" or humaneval(\"file.jsonl\")")
    raise Invalid(value.loc, "tasks must be a folder glob such as \"../tasks/translation/*\" or "
                             f"humaneval(\"file.jsonl\"), got {describe(value)}")


def _task_glob(ctx: Context, value: ast.Str) -> TaskSource:
    pattern = value.value
    if not pattern.strip():
        raise Invalid(value.loc, "the task glob is empty")
    full = os.path.join(ctx.base_dir, os.path.expanduser(pattern))
    matches = sorted(os.path.normpath(p) for p in glob.glob(full))
    folders = [m for m in matches if os.path.isdir(m)]  # stray files (a README) are ignored
    not_tasks = [f for f in folders if not _holds_tasks(f)]
    if not_tasks:
        shown = ", ".join(os.path.relpath(f, ctx.base_dir) for f in not_tasks[:3])
        more = f" and {len(not_tasks) - 3} more" if len(not_tasks) > 3 else ""
        raise Invalid(value.loc, f"\"{pattern}\" matches folders without a task.toml: {shown}{more}")
    if not folders:
        raise Invalid(value.loc, f"no task folders match \"{pattern}\" (looked in {os.path.dirname(os.path.normpath(full))})")
    return TaskSource("folder", pattern, tuple(folders), value.loc)


def _holds_tasks(folder: str) -> bool:
    """A task folder, or a suite folder with task folders somewhere below it."""
    if os.path.isfile(os.path.join(folder, "task.toml")):
        return True
    return any("task.toml" in files for _, _, files in os.walk(folder))


# ---------------------------------------------------------------- models and sandbox


def _models_and_sandbox(ctx: Context, stmts: Statements) -> tuple[tuple[ModelSpec, ...], SandboxSpec | None]:
    models: list[ModelSpec] = []
    sandbox: SandboxSpec | None = None
    value = stmts.value("models", lambda v, _key: v)
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "models is an empty list")
    named: list[tuple[ModelSpec | None, ast.Value]] = []
    if value is not None:
        named = [(check_model(ctx, item), item) for item in listed(value)]
    sandbox_loc = None
    if stmts.has("sandbox"):
        sandbox = stmts.value("sandbox", lambda v, _key: check_sandbox(ctx, v))
        sandbox_loc = stmts.all("sandbox")[0].loc
    for kind, name, definition in used(ctx, stmts, ("model", "sandbox")):
        if kind == "model":
            named.append((definition.value, name))
        elif sandbox_loc is not None:
            ctx.error(name.loc, f"this block already has a sandbox (line {sandbox_loc.line})")
        else:
            sandbox, sandbox_loc = definition.value, name.loc
    if not named and stmts.missing("models"):
        ctx.error(stmts.block.loc, f'benchmark "{stmts.block.name}" is missing \'models\' (e.g. models [local(), oracle])')
    seen: dict[str, int] = {}
    for model, node in named:
        if model is None:
            continue
        if model.name in seen:
            ctx.error(node.loc, f"model '{model.name}' is listed twice (first on line {seen[model.name]})")
            continue
        seen[model.name] = node.loc.line
        models.append(model)
    return tuple(models), sandbox


# ---------------------------------------------------------------- strategies

def _strategies(ctx: Context, stmts: Statements) -> tuple[StrategySpec, ...]:
    value = stmts.value("strategies", lambda v, _key: v)
    if value is None:
        return (StrategySpec(stmts.default("strategies"), (), stmts.block.loc),)
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "strategies is an empty list")
    out: list[StrategySpec] = []
    for item in listed(value):
        strategy = check_strategy(ctx, item)
        if strategy is None:
            continue
        if strategy in out:
            ctx.error(item.loc, f"strategy {strategy.label} is listed twice")
            continue
        out.append(strategy)
    return tuple(out)


def _briefs_present(ctx: Context, stmts: Statements, tasks: tuple[TaskSource, ...], levels: tuple[str, ...]) -> None:
    """A brief level needs every task folder to have a brief (HumanEval has one text)."""
    import tomllib

    from benchrun.codegen.tasks import find_task_folders

    if "brief" not in levels:
        return
    at = stmts.all("instructions")[0].loc if stmts.has("instructions") else None
    for source in (s for s in tasks if s.kind == "folder"):
        for folder in (f for p in source.paths for f in find_task_folders(p)):
            try:
                has = "brief" in tomllib.loads((folder / "task.toml").read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # the plan reports an unreadable task.toml with its reason
            if not has:
                ctx.error(at or source.loc, f"task {os.path.relpath(folder, ctx.base_dir)} has no brief instruction "
                                            "(task.toml: brief); write one, or use `instructions detailed`")
                return


def _dev_apart(ctx: Context, tasks: tuple[TaskSource, ...], strategies: tuple[StrategySpec, ...]) -> None:
    """tuned(dev = GLOB) tunes on development tasks: they must exist and never be
    evaluation tasks too, or the tuned template is scored on what it was fitted to."""
    from benchrun.codegen.prompt_tuning import dev_folders
    from benchrun.codegen.tasks import TaskError, find_task_folders

    evaluated = {os.path.normpath(str(f)) for s in tasks if s.kind == "folder" for p in s.paths
                 for f in find_task_folders(p)}
    for strategy in strategies:
        pattern = dict(strategy.options).get("dev")
        if strategy.name != "tuned" or pattern is None:
            continue
        at = strategy.loc
        assert at is not None  # checked from this spec, so it has its place
        try:
            dev = dev_folders(str(pattern), ctx.base_dir)
        except TaskError as error:
            ctx.error(at, f"tuned(dev = \"{pattern}\"): {error}")
            continue
        if not dev:
            ctx.error(at, f"tuned(dev = \"{pattern}\"): no task folders match (looked in {ctx.base_dir})")
        both = [os.path.relpath(f, ctx.base_dir) for f in dev if f in evaluated]
        if both:
            more = f" and {len(both) - 3} more" if len(both) > 3 else ""
            ctx.error(at, f"tuned(dev = \"{pattern}\"): development tasks are also evaluation tasks: "
                                    f"{', '.join(both[:3])}{more}; keep them apart")


# ---------------------------------------------------------------- score


def _scores(ctx: Context, stmts: Statements, samples: int | None) -> tuple[int, ...]:
    value = stmts.value("score", lambda v, _key: v)
    if value is None:
        return stmts.default("score")
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "score is an empty list")
    ks: list[int] = []
    for item in listed(value):
        if not isinstance(item, ast.At) or item.name != "pass":
            ctx.error(item.loc, f"score takes pass@k values such as pass@1, got {describe(item)}")
        elif item.k < 1:
            ctx.error(item.loc, f"pass@{item.k}: k must be at least 1")
        elif samples is not None and item.k > samples:
            ctx.error(item.loc, f"pass@{item.k} needs at least {item.k} samples per task, but samples is {samples}")
        elif item.k in ks:
            ctx.error(item.loc, f"pass@{item.k} is listed twice")
        else:
            ks.append(item.k)
    return tuple(sorted(ks))


# ---------------------------------------------------------------- budget


def _budget(ctx: Context, stmts: Statements) -> Budget | None:
    statements = stmts.all("budget")
    setting = ctx.attempt(settings, statements[0]) if statements else None
    if setting is None:
        return None
    values = setting.items[0].values if isinstance(setting.items[0], ast.Words) else ()
    if len(setting.items) != 1 or len(values) != 2 or not isinstance(values[1], ast.Name) \
            or values[1].name not in BUDGET_UNITS:
        ctx.error(setting.loc, "write budget AMOUNT USD or budget N tokens, e.g. budget 5.00 USD")
        return None
    amount = ctx.attempt(partial(as_number, low=0.0), values[0], "budget")
    return None if amount is None else Budget(amount, values[1].name)


# ---------------------------------------------------------------- executor


def _executor(ctx: Context, stmts: Statements, sandbox: SandboxSpec | None) -> ExecutorSpec:
    """Where samples are judged; one that cannot judge in the block's sandbox is refused
    (Ray judges in each node's Docker engine: a local sandbox would not isolate there)."""
    executor = stmts.value("executor", lambda v, _key: check_executor(ctx, v, JUDGING))
    if executor is None:
        return stmts.default("executor")
    backend = (sandbox or stmts.default("sandbox")).backend
    allowed = JUDGING.get(executor.kind).sandboxes
    if allowed and backend not in allowed:
        ctx.error(stmts.all("executor")[0].loc, f"executor {executor.kind}() judges in {' or '.join(allowed)} "
                  f"sandboxes on every node, but this block's sandbox is {backend}(): use sandbox "
                  f"{allowed[0]}(...) or executor local()")
    return executor


# ---------------------------------------------------------------- the block kind


def _units(block: BenchmarkSpec, base_dir: str | None) -> list:
    from benchrun.codegen.plan import benchmark_units

    return benchmark_units(block, base_dir)


def _summary(block: BenchmarkSpec, units: list) -> dict:
    from benchrun.codegen.plan import summary

    return summary(block, units)


def _show(summary: dict, console) -> None:
    from rich.table import Table

    console.print(
        f"[bold]benchmark \"{summary['name']}\"[/]: {summary['units']} units = {summary['tasks']} tasks "
        f"x {len(summary['by_model'])} models x {len(summary['by_strategy'])} strategies "
        f"x {len(summary['by_level'])} instruction levels x {summary['samples']} samples",
        soft_wrap=True,
    )
    for what, counts in (("model", summary["by_model"]), ("strategy", summary["by_strategy"]),
                         ("level", summary["by_level"])):
        table = Table(what, "units", title=f"by {what}", title_justify="left")
        for name, n in counts.items():
            table.add_row(str(name), str(n))
        console.print(table)


def _builtin_models() -> tuple[str, ...]:
    from benchrun.models.providers import PROVIDERS

    return bare_names(PROVIDERS)


def _builtin_sandboxes() -> tuple[str, ...]:
    from benchrun.sandboxes.backends import SANDBOXES

    return SANDBOXES.names()


BENCHMARK = BlockKind(
    name="benchmark",
    doc="models adapt ML programs; each sample is judged in a sandbox and scored as pass@k",
    options=KEYS,
    check=check_benchmark,
    definitions=(Definition(kind="model", check=check_model, builtins=_builtin_models, used_as="models"),
                 Definition(kind="sandbox", check=check_sandbox, builtins=_builtin_sandboxes, used_as="a sandbox")),
    units=_units,
    workloads={"codegen": "benchrun.codegen.workload:CodegenWorkload"},
    summary=_summary,
    show=_show,
    results_hint=lambda spec, db_flag: f"benchrun report passk {spec}{db_flag}",
    reports=os.path.join(os.path.dirname(__file__), "reports"),
    tables=os.path.join(os.path.dirname(__file__), "tables.sql"),
    views=os.path.join(os.path.dirname(__file__), "views.sql"),
)
