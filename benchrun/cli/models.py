"""`benchrun models`: which model providers there are and whether each answers."""
from __future__ import annotations

import concurrent.futures
import os
import sys

import click
from rich.console import Console
from rich.table import Table

from benchrun.grammar.spec import Loc, ModelSpec
from benchrun.models.base import ModelError
from benchrun.models.runner import ProviderRunner
from benchrun.models.vllm import why_vllm_cannot_start

_HERE = Loc("<built-in>", 1, 1)


def builtin_models() -> list[ModelSpec]:
    return [
        ModelSpec("local", "local", None, (), _HERE),
        ModelSpec("oracle", "oracle", None, (), _HERE),
        ModelSpec("identity", "identity", None, (), _HERE),
        ModelSpec("openai", "openai:gpt-4o-mini", "gpt-4o-mini", (), _HERE),
    ]


def spec_models(path: str) -> list[ModelSpec]:
    from benchrun.grammar import load_spec

    spec = load_spec(path)
    seen: dict[str, ModelSpec] = {}
    for block in spec.blocks:
        for model in getattr(block, "models", ()):
            seen.setdefault(model.name, model)
    return list(seen.values())


def check_all(models: list[ModelSpec]) -> list[tuple[bool, str]]:
    """Health of every model, checked side by side (local servers start and stop)."""
    with ProviderRunner() as runner:

        def one(model: ModelSpec) -> tuple[bool, str]:
            try:
                return runner.health(model)
            except ModelError as error:
                return False, str(error)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(models))) as pool:
            return list(pool.map(one, models))


@click.command(
    epilog="""\b
Examples:
  benchrun models                           the built-in providers
  benchrun models specs/translation.bench   the models a spec uses
  benchrun models --no-check                list only, contact nothing
""",
)
@click.argument("spec", required=False, type=click.Path(dir_okay=False))
@click.option("--check/--no-check", default=True, show_default=True,
              help="Ask each model whether it answers (starts local servers for a moment).")
def models(spec: str | None, check: bool) -> None:
    """List model providers and whether each answers.

    Without SPEC: the built-in providers (local, oracle, identity, openai) and whether
    vLLM can be launched here. With SPEC: the models its benchmarks use. Exits 1 when a
    model of SPEC does not answer.
    """
    if spec:
        from benchrun.grammar import SpecError

        try:
            listed = spec_models(spec)
        except SpecError as error:
            click.echo(str(error), err=True)
            sys.exit(1)
    else:
        listed = builtin_models()
    health = check_all(listed) if check else [(None, "not checked")] * len(listed)

    table = Table(title=f"models of {spec}" if spec else "built-in model providers")
    for column in ("name", "kind", "model", "answers", "detail"):
        table.add_column(column, overflow="fold")
    for model, (ok, detail) in zip(listed, health):
        mark = "-" if ok is None else ("[green]yes[/]" if ok else "[red]no[/]")
        where = dict(model.options).get("model") or model.model or ("smollm2-135m" if model.kind == "local" else "")
        table.add_row(model.name, model.kind, str(where), mark, detail)
    if not spec:
        reason = why_vllm_cannot_start()
        table.add_row("vllm", "vllm", "(any)", "-", reason or "vllm and a GPU found: vllm(\"org/model\") is launched here")
    Console(width=max(100, min(160, _terminal_width()))).print(table)
    if spec and check and not all(ok for ok, _ in health):
        sys.exit(1)


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 120
