"""Values that name a registry entry: `openai("gpt-4o-mini", timeout = 30s)`, `docker`,
`retrieval(top_k = 5)`. The names, arguments, types and limits all come from the entry's
declaration, so what a spec may write and what the factories build never drift apart."""
from __future__ import annotations

from typing import Any

from benchrun.grammar import ast
from benchrun.grammar.spec import ExecutorSpec, ModelSpec, SandboxSpec, StrategySpec
from benchrun.grammar.validate import Context
from benchrun.grammar.values import Invalid, bind, describe, option_args
from benchrun.registry import Entry, File, Model, Option, Registry, UnknownEntry


def check_call(ctx: Context, value: ast.Value, registry: Registry[Any], expected: str) -> tuple[Entry, dict[str, Any]] | None:
    """The entry a call (or a bare name) names and its checked arguments, or None after
    reporting every mistake. `expected` completes "expected ..., got ..."."""
    call = ast.Call(value.name, (), (), value.loc) if isinstance(value, ast.Name) else value
    if not isinstance(call, ast.Call):
        ctx.error(value.loc, f"expected {expected}, got {describe(value)}")
        return None
    if call.name not in registry:
        ctx.error(call.loc, registry.unknown(call.name))
        return None
    try:
        entry = registry.get(call.name)
    except UnknownEntry as error:
        ctx.error(call.loc, str(error))
        return None
    errors: list[Invalid] = []
    call, models, plain = take_models(ctx, call, entry.options)
    options = {**bind(call, option_args(plain, ctx.base_dir), errors), **models}
    ctx.errors.extend(errors)
    return None if errors else (entry, options)


def bare_names(registry: Registry[Any]) -> tuple[str, ...]:
    """Entries that can be written without parentheses: those with no required option."""
    return tuple(e.name for e in registry if not any(o.required for o in e.options))


# ---------------------------------------------------------------- models


def check_model(ctx: Context, value: ast.Value, defined_as: str | None = None) -> ModelSpec | None:
    """A model value: a call, a bare built-in, or (in blocks) a defined name."""
    from benchrun.models.providers import PROVIDERS, display_name

    if isinstance(value, ast.Name) and value.name not in PROVIDERS:
        found = ctx.lookup(value, "model", bare_names(PROVIDERS), "models")
        return found.value if found else None
    checked = check_call(ctx, value, PROVIDERS, 'a model such as openai("gpt-4o-mini"), local() or oracle')
    if checked is None:
        return None
    entry, args = checked
    option = entry.option("model")
    # A model named by its API name is the spec's `model`; a model file stays an option.
    model = args.pop("model", None) if option is not None and not _is_file(option) else None
    name = display_name(entry.name, {"model": model} if model else args)
    return ModelSpec(entry.name, defined_as or name, model, tuple(sorted(args.items())), value.loc)


def take_models(ctx: Context, call: ast.Call, options: tuple[Option, ...]) -> tuple[ast.Call, dict[str, ModelSpec],
                                                                                   tuple[Option, ...]]:
    """The model-typed options of a call (`llm(local(), ...)`), checked as models are in
    a benchmark (a defined model's name too), and the call and options without them, for
    `bind`. A positional model option must come before any other positional one."""
    models = [o for o in options if isinstance(o.type, Model)]
    positional = [o.name for o in options if o.positional]
    args, found = list(call.args), dict[str, ModelSpec]()
    for option in models:
        given = next((k.value for k in call.kwargs if k.name == option.name), None)
        if given is None and option.positional and positional.index(option.name) < len(args):
            given = args.pop(positional.index(option.name))
        if given is None:
            if option.required:
                ctx.error(call.loc, f"{call.name}() needs {option.name} = ..., {option.type.describe()}")
            continue
        spec = check_model(ctx, given)
        if spec is not None:
            found[option.name] = spec
    rest = ast.Call(call.name, tuple(args), tuple(k for k in call.kwargs if k.name not in {o.name for o in models}), call.loc)
    return rest, found, tuple(o for o in options if o not in models)


def _is_file(option: Option) -> bool:
    return isinstance(option.type, File)


# ---------------------------------------------------------------- sandboxes


def check_sandbox(ctx: Context, value: ast.Value, defined_as: str | None = None) -> SandboxSpec | None:
    from benchrun.sandboxes.backends import SANDBOXES, sandbox_fields

    if isinstance(value, ast.Name) and value.name not in SANDBOXES:
        found = ctx.lookup(value, "sandbox", SANDBOXES.names(), "sandbox")
        return found.value if found else None
    checked = check_call(ctx, value, SANDBOXES, "a sandbox such as docker(...) or local(...)")
    if checked is None:
        return None
    entry, args = checked
    return SandboxSpec(backend=entry.name, loc=value.loc, **sandbox_fields(args))


# ---------------------------------------------------------------- executors


def check_executor(ctx: Context, value: ast.Value, registry: Registry[Any]) -> ExecutorSpec | None:
    """`executor local()` / `executor ray(address = ...)`: an entry of the block kind's
    executor registry (each kind has its own: trials and judging run differently)."""
    names = " or ".join(f"{n}(...)" for n in registry.names())
    checked = check_call(ctx, value, registry, f"an executor: {names}")
    if checked is None:
        return None
    entry, options = checked
    return ExecutorSpec(entry.name, tuple(sorted(options.items())))


# ---------------------------------------------------------------- strategies


def check_strategy(ctx: Context, value: ast.Value) -> StrategySpec | None:
    from benchrun.prompts.strategies import STRATEGIES

    names = ", ".join(STRATEGIES.names())
    checked = check_call(ctx, value, STRATEGIES, f"a strategy ({names})")
    if checked is None:
        return None
    entry, args = checked
    return StrategySpec(entry.name, tuple(sorted(args.items())), value.loc)
