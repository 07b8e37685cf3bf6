"""Checking `benchmark "name" { ... }` blocks and the models, strategies, sandboxes and
task sources they name."""
from __future__ import annotations

import glob
import os
from functools import partial

from benchrun.grammar import ast
from benchrun.grammar.errors import did_you_mean
from benchrun.grammar.spec import BenchmarkSpec, ModelSpec, SandboxSpec, StrategySpec, TaskSource
from benchrun.grammar.validate import Context, Statements, listed, used
from benchrun.grammar.values import (
    Arg,
    Invalid,
    as_bool,
    as_duration,
    as_int,
    as_number,
    as_path,
    as_size,
    as_str,
    bind,
    describe,
)

KEYS = ("tasks", "models", "strategies", "samples", "temperature", "max_tokens", "seed", "score",
        "sandbox", "concurrency", "use")
MAX_SAMPLES = 10_000

DEFAULTS = {"samples": 1, "temperature": 0.2, "max_tokens": 1024, "seed": 0, "scores": (1,), "concurrency": 2}


def check_benchmark(ctx: Context, block: ast.Block) -> BenchmarkSpec | None:
    before = len(ctx.errors)
    stmts = Statements(ctx, block, KEYS, repeatable=("use",))
    tasks = _tasks(ctx, stmts)
    models, sandbox = _models_and_sandbox(ctx, stmts)
    strategies = _strategies(ctx, stmts)
    samples = stmts.value("samples", partial(as_int, low=1, high=MAX_SAMPLES))
    # A wrong `samples` is reported once; pass@k is then not compared against it.
    scores = _scores(ctx, stmts, samples if samples is not None or stmts.has("samples") else DEFAULTS["samples"])
    samples = DEFAULTS["samples"] if samples is None else samples
    spec = dict(
        name=block.name,
        tasks=tasks,
        models=models,
        strategies=strategies,
        samples=samples,
        temperature=stmts.value("temperature", partial(as_number, low=0.0, high=2.0), DEFAULTS["temperature"]),
        max_tokens=stmts.value("max_tokens", partial(as_int, low=1, high=1_000_000), DEFAULTS["max_tokens"]),
        seed=stmts.value("seed", partial(as_int, low=0), DEFAULTS["seed"]),
        scores=scores,
        sandbox=sandbox or SandboxSpec(backend="docker"),
        concurrency=stmts.value("concurrency", partial(as_int, low=1, high=1024), DEFAULTS["concurrency"]),
        loc=block.loc,
    )
    stmts.require("tasks")
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
        raise Invalid(value.loc, f"unknown task source '{value.name}()'{did_you_mean(value.name, ['humaneval'])}; use a folder glob \"tasks/*\" or humaneval(\"file.jsonl\")")
    raise Invalid(value.loc, f"tasks must be a folder glob such as \"../tasks/translation/*\" or humaneval(\"file.jsonl\"), got {describe(value)}")


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


# ---------------------------------------------------------------- models

MODEL_KINDS = ("openai", "vllm", "local", "oracle", "identity")
BARE_MODELS = ("local", "oracle", "identity")

# What the model providers accept (benchrun.models.factory.PROVIDER_OPTIONS), with types.
_CLIENT_ARGS = [
    Arg("timeout", as_duration),
    Arg("max_attempts", partial(as_int, low=1)),
    Arg("deadline", as_duration),
    Arg("backoff", as_duration),
    Arg("max_backoff", as_duration),
    Arg("concurrency", partial(as_int, low=1)),
    Arg("context", partial(as_int, low=1)),
]


def _model_args(kind: str, base_dir: str) -> list[Arg]:
    if kind == "openai":
        return [Arg("model", as_str, required=True, positional=True), Arg("base_url", as_str),
                Arg("api_key_env", as_str), Arg("supports_n", as_bool), *_CLIENT_ARGS]
    if kind == "vllm":
        return [Arg("model", as_str, required=True, positional=True), Arg("url", as_str), Arg("args", as_str),
                Arg("startup_timeout", as_duration), *_CLIENT_ARGS]
    if kind == "local":
        return [Arg("model", partial(as_path, base_dir=base_dir, suffixes=(".gguf",)), positional=True),
                Arg("threads", partial(as_int, low=1)), Arg("startup_timeout", as_duration), *_CLIENT_ARGS]
    return []


def check_model(ctx: Context, value: ast.Value, defined_as: str | None = None) -> ModelSpec | None:
    """A model value: a call, a bare built-in, or (in blocks) a defined name."""
    if isinstance(value, ast.Name) and value.name not in BARE_MODELS:
        found = ctx.lookup(value, "model", BARE_MODELS, "models")
        return found.value if found else None
    if isinstance(value, ast.Name):
        value = ast.Call(value.name, (), (), value.loc)
    if not isinstance(value, ast.Call):
        ctx.error(value.loc, f"expected a model such as openai(\"gpt-4o-mini\"), local() or oracle, got {describe(value)}")
        return None
    if value.name not in MODEL_KINDS:
        ctx.error(value.loc, f"unknown model '{value.name}'{did_you_mean(value.name, MODEL_KINDS)}; models: openai(...), vllm(...), local(), oracle, identity")
        return None
    errors: list[Invalid] = []
    args = bind(value, _model_args(value.name, ctx.base_dir), errors)
    ctx.errors.extend(errors)
    if errors:
        return None
    model = args.pop("model", None)
    if value.name == "local":
        options = {**args, **({"model": model} if model else {})}
        model, name = None, ("local" if "model" not in options else f"local:{os.path.basename(options['model'])}")
    else:
        options = args
        name = value.name if model is None else f"{value.name}:{model}"
    return ModelSpec(value.name, defined_as or name, model, tuple(sorted(options.items())), value.loc)


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

STRATEGIES = {
    "zero_shot": [],
    "tuned": [],
    "docprompt": [Arg("docs", as_str, positional=True)],
    "retrieval": [Arg("top_k", partial(as_int, low=1, high=100)), Arg("docs", as_str)],
}


def _strategies(ctx: Context, stmts: Statements) -> tuple[StrategySpec, ...]:
    value = stmts.value("strategies", lambda v, _key: v)
    if value is None:
        return (StrategySpec("zero_shot", (), stmts.block.loc),)
    if isinstance(value, ast.List) and not value.items:
        ctx.error(value.loc, "strategies is an empty list")
    out: list[StrategySpec] = []
    for item in listed(value):
        strategy = _strategy(ctx, item)
        if strategy is None:
            continue
        if strategy in out:
            ctx.error(item.loc, f"strategy {strategy.label} is listed twice")
            continue
        out.append(strategy)
    return tuple(out)


def _strategy(ctx: Context, value: ast.Value) -> StrategySpec | None:
    call = ast.Call(value.name, (), (), value.loc) if isinstance(value, ast.Name) else value
    if not isinstance(call, ast.Call):
        ctx.error(value.loc, f"expected a strategy (zero_shot, tuned, docprompt(...), retrieval(...)), got {describe(value)}")
        return None
    if call.name not in STRATEGIES:
        ctx.error(call.loc, f"unknown strategy '{call.name}'{did_you_mean(call.name, STRATEGIES)}; strategies: {', '.join(STRATEGIES)}")
        return None
    errors: list[Invalid] = []
    options = bind(call, STRATEGIES[call.name], errors)
    ctx.errors.extend(errors)
    return None if errors else StrategySpec(call.name, tuple(sorted(options.items())), call.loc)


# ---------------------------------------------------------------- sandbox

SANDBOX_ARGS = [
    Arg("timeout", as_duration),
    Arg("memory", as_size),
    Arg("cpus", partial(as_number, low=0.01, high=1024)),
    Arg("pids", partial(as_int, low=1)),
    Arg("network", as_bool),
    Arg("output", as_size),
    Arg("image", as_str),
]
_SANDBOX_FIELDS = {"timeout": "timeout_s", "memory": "memory_bytes", "output": "output_bytes"}


def check_sandbox(ctx: Context, value: ast.Value, defined_as: str | None = None) -> SandboxSpec | None:
    if isinstance(value, ast.Name) and value.name not in ("docker", "local"):
        found = ctx.lookup(value, "sandbox", ("docker", "local"), "sandbox")
        return found.value if found else None
    call = ast.Call(value.name, (), (), value.loc) if isinstance(value, ast.Name) else value
    if not isinstance(call, ast.Call) or call.name not in ("docker", "local"):
        name = call.name if isinstance(call, ast.Call) else ""
        hint = did_you_mean(name, ["docker", "local"]) if name else ""
        ctx.error(value.loc, f"expected a sandbox docker(...) or local(...), got {describe(value)}{hint}")
        return None
    errors: list[Invalid] = []
    args = bind(call, SANDBOX_ARGS, errors)
    ctx.errors.extend(errors)
    if errors:
        return None
    fields = {_SANDBOX_FIELDS.get(k, k): v for k, v in args.items()}
    return SandboxSpec(backend=call.name, loc=call.loc, **fields)


# ---------------------------------------------------------------- score


def _scores(ctx: Context, stmts: Statements, samples: int | None) -> tuple[int, ...]:
    value = stmts.value("score", lambda v, _key: v)
    if value is None:
        return DEFAULTS["scores"]
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
