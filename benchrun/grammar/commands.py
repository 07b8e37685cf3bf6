"""`benchrun check` and `benchrun plan`: look at a spec without running it."""
from __future__ import annotations

import json
import sys

import click

from benchrun.grammar import SpecError, load_spec


def _load_plan(path: str):
    """(spec, plan) or raise SpecError; task folders that cannot be read are spec errors too."""
    from benchrun.codegen.tasks import TaskError
    from benchrun.engine.plan import build_plan
    from benchrun.grammar.errors import Diagnostic
    from benchrun.grammar.spec import Loc

    spec = load_spec(path)
    try:
        return spec, build_plan(spec)
    except TaskError as error:
        raise SpecError([Diagnostic(Loc(path, 1, 1), f"task {error.path}: {error.message}")]) from None


@click.command(
    epilog="""\b
Examples:
  benchrun check specs/translation.bench
  benchrun check specs/*.bench
""",
)
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check(specs: tuple[str, ...]) -> None:
    """Validate SPEC files without running anything.

    Every mistake in a file is reported with its line and column; prints `ok` and the
    number of blocks and work units for each valid file. Exits 1 if any file has errors.
    """
    failed = 0
    for path in specs:
        try:
            spec, plan = _load_plan(path)
        except SpecError as error:
            failed += 1
            click.echo(str(error), err=True)
            count = len(error.errors)
            click.echo(f"{path}: {count} error{'s' if count != 1 else ''}", err=True)
            continue
        blocks = len(spec.blocks)
        click.echo(f"ok {path} ({blocks} block{'s' if blocks != 1 else ''}, {len(plan.units)} units)")
    if failed:
        if len(specs) > 1:
            click.echo(f"{failed} of {len(specs)} specs have errors", err=True)
        sys.exit(1)


@click.command(
    epilog="""\b
Examples:
  benchrun plan specs/tuning.bench
  benchrun plan specs/translation.bench --json | jq '.units | length'
""",
)
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print every work unit (id, kind, block, params) as JSON.")
def plan(spec: str, as_json: bool) -> None:
    """Show what SPEC expands to: work units by kind, and per block its models,
    strategies and tasks, or its search space, grid size, data sets and algorithms.

    Nothing runs. Unit ids are stable: the same spec always plans the same ids.
    """
    from benchrun.engine.plan import summarize

    try:
        _, built = _load_plan(spec)
    except SpecError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    summary = summarize(built)
    if as_json:
        units = [{"id": u.id, "kind": u.kind, "block": u.block, "params": u.params} for u in built.units]
        click.echo(json.dumps({"spec": summary["spec"], "summary": summary, "units": units}, indent=2))
        return
    _print_summary(summary)


def _print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    kinds = ", ".join(f"{n} {kind}" for kind, n in summary["by_kind"].items()) or "nothing"
    console.print(f"[bold]{summary['spec']}[/]: {summary['units']} work units ({kinds})", soft_wrap=True)
    for block in summary["blocks"]:
        console.print()
        if block["kind"] == "benchmark":
            console.print(
                f"[bold]benchmark \"{block['name']}\"[/]: {block['units']} units = {block['tasks']} tasks "
                f"x {len(block['by_model'])} models x {len(block['by_strategy'])} strategies x {block['samples']} samples",
                soft_wrap=True,
            )
            console.print(_counts("model", block["by_model"]))
            console.print(_counts("strategy", block["by_strategy"]))
        else:
            pairs = len(block["by_dataset"]) and block["units"] // max(block["grid_size"], 1)
            console.print(
                f"[bold]tune \"{block['name']}\"[/]: {block['units']} trials = {block['grid_size']} "
                f"{block['search']} points x {pairs} (data set, algorithm) pairs",
                soft_wrap=True,
            )
            space = Table("parameter", "values", title="search space", title_justify="left")
            for name, label in block["space"].items():
                space.add_row(name, label)
            console.print(space)
            console.print(_counts("data set", block["by_dataset"]))
            console.print(_counts("algorithm", block["by_algorithm"]))


def _counts(what: str, counts: dict[str, int]):
    from rich.table import Table

    table = Table(what, "units", title=f"by {what}", title_justify="left")
    for name, n in counts.items():
        table.add_row(str(name), str(n))
    return table
