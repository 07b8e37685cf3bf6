"""`benchrun check`, `benchrun plan` and `benchrun plugins`: look at a spec, or at what
specs may name, without running anything."""
from __future__ import annotations

import json
import sys

import click

from benchrun.cli.specs import spec_plan
from benchrun.grammar import SpecError


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
            plan = spec_plan(path)
        except SpecError as error:
            failed += 1
            click.echo(str(error), err=True)
            count = len(error.errors)
            click.echo(f"{path}: {count} error{'s' if count != 1 else ''}", err=True)
            continue
        blocks = len(plan.spec.blocks)
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
@click.option("--estimate", is_flag=True,
              help="Also estimate each block's cost from a short calibration (tune blocks: a few timed steps per "
                   "data set, algorithm and batch size; this loads the data sets).")
def plan(spec: str, as_json: bool, estimate: bool) -> None:
    """Show what SPEC expands to: work units by kind, and per block its models,
    strategies and tasks, or its search space, grid size, data sets and algorithms.

    Nothing runs (with --estimate, only the calibration). Unit ids are stable: the same
    spec always plans the same ids.
    """
    from benchrun.engine.plan import summarize

    try:
        built = spec_plan(spec)
    except SpecError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    summary = summarize(built)
    if estimate:
        _estimate(built, summary)
    if as_json:
        units = [{"id": u.id, "kind": u.kind, "block": u.block, "params": u.params} for u in built.units]
        click.echo(json.dumps({"spec": summary["spec"], "summary": summary, "units": units}, indent=2))
        return
    _print_summary(summary)
    estimated = [block["estimate"]["cpu_s"] for block in summary["blocks"] if "estimate" in block]
    if estimated:
        click.echo(f"\nestimated CPU time of the spec: {sum(estimated) / 3600:.2f} CPU-hours "
                   f"({len(estimated)} block{'s' if len(estimated) != 1 else ''} estimated)")


def _estimate(built, summary: dict) -> None:
    """Each block's calibrated estimate, under its summary's "estimate" key."""
    from benchrun.blocks import BLOCKS

    for block, shown in zip(built.spec.blocks, summary["blocks"]):
        kind = BLOCKS.get(block.kind)
        if kind.estimate is not None:
            units = [u for u in built.units if u.block == block.name]
            shown["estimate"] = kind.estimate(block, units, lambda line: click.echo(line, err=True))


def _print_summary(summary: dict) -> None:
    from rich.console import Console

    from benchrun.blocks import BLOCKS

    console = Console(highlight=False)
    kinds = ", ".join(f"{n} {kind}" for kind, n in summary["by_kind"].items()) or "nothing"
    console.print(f"[bold]{summary['spec']}[/]: {summary['units']} work units ({kinds})", soft_wrap=True)
    for block in summary["blocks"]:
        console.print()
        BLOCKS.get(block["kind"]).show(block, console)


@click.command(
    epilog="""\b
Examples:
  benchrun plugins                 every extension point and what it holds
  benchrun plugins providers       the model providers, with their options
""",
)
@click.argument("point", required=False)
def plugins(point: str | None) -> None:
    """List what a spec may name at each extension point (model providers, strategies,
    sandboxes, search methods, stop rules, ...), built in or added by installed
    packages through the `benchrun.<point>` entry points; with POINT, each one's options."""
    from rich.console import Console

    from benchrun.registry import REGISTRIES, UnknownEntry
    from benchrun.registry_index import load_all

    load_all()
    console = Console(highlight=False)
    if point is not None and point not in REGISTRIES:
        from benchrun.errors import did_you_mean

        click.echo(f"error: no extension point '{point}'{did_you_mean(point, REGISTRIES)}; points: "
                   f"{', '.join(sorted(REGISTRIES))}", err=True)
        sys.exit(1)
    for name in [point] if point else sorted(REGISTRIES):
        registry = REGISTRIES[name]
        console.print(f"[bold]{name}[/] (entry points: {registry.group})")
        for entry_name in registry.names():
            try:
                entry = registry.get(entry_name)
            except UnknownEntry as error:
                console.print(f"  [red]{entry_name}[/]: {error}", soft_wrap=True)
                continue
            console.print(f"  {entry.name}: {entry.doc}", soft_wrap=True)
            if point:
                for option in entry.options:
                    console.print(f"      {option.describe()}", soft_wrap=True)
        if not point:
            console.print()
