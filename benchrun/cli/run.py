"""`benchrun run SPEC`: plan a spec and run what is not done yet."""
from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from benchrun.blocks import BLOCKS
from benchrun.cli.specs import load_plan

DEFAULT_DB = "benchrun.duckdb"
# finished: every unit done; incomplete: some units could not run (a resume retries them).
EXIT_CODES = {"finished": 0, "incomplete": 2, "interrupted": 130}


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _summary_table(summary) -> Table:
    table = Table(title=f"run {summary.run_id}: {summary.status} in {summary.seconds:.1f} s", title_justify="left")
    for name in ("block", "planned", "already done", "done", "failed", "not run"):
        table.add_column(name, justify="left" if name == "block" else "right")
    for block, counts in summary.blocks.items():
        table.add_row(block, *(str(counts[k]) for k in ("planned", "skipped", "done", "failed", "not_run")))
    return table


@click.command(
    epilog="""\b
Examples:
  benchrun run specs/translation.bench
  benchrun specs/tuning-quick.bench --db results/tuning.duckdb
  benchrun run specs/inlining.bench --fresh --concurrency 4
"""
)
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--db", envvar="BENCHRUN_DB", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
              help="Results file (or set BENCHRUN_DB).")
@click.option("--fresh", is_flag=True, help="Run every unit again instead of resuming; earlier results stay in the file.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first unit that fails to run.")
@click.option("--no-cache", is_flag=True, help="Ask the models again instead of reusing cached completions.")
@click.option("--concurrency", type=click.IntRange(min=1),
              help="How much runs at once, overriding the spec (default: a benchmark's `concurrency`, the samples "
                   "it judges at once; a tune block's executor, its trials). A benchmark with `executor ray` judges "
                   "as many at once as the cluster's CPUs allow.")
def run(spec: str, db: str, fresh: bool, fail_fast: bool, no_cache: bool, concurrency: int | None) -> None:
    """Run SPEC and write every result to the results file.

    Units already done in the file are skipped, so running the same command again
    resumes an interrupted run. Ctrl-C stops cleanly (running units finish and are
    kept); press it twice to stop at once. Exits 0 when every unit is done, 2 when some
    units could not run (run again to retry them), 130 when interrupted, 1 when the run
    failed."""
    from benchrun.engine.run import run_plan
    from benchrun.errors import BenchrunError

    plan = load_plan(spec)
    try:
        summary = run_plan(plan, db, fresh=fresh, fail_fast=fail_fast, use_cache=not no_cache, concurrency=concurrency)
    except BenchrunError as err:
        _fail(str(err))
    console = Console(stderr=True)
    console.print(_summary_table(summary))
    for note in summary.notes:
        console.print(note, soft_wrap=True)
    if summary.error:
        console.print(f"[red]{summary.error.strip().splitlines()[-1]}[/red]")
    if summary.status == "incomplete":
        console.print(f"incomplete: {summary.failed} units could not run; run the same command again to retry them")
    if summary.status == "interrupted":
        console.print(f"interrupted: run the same command again to resume ({summary.not_run} units left)")
    db_flag = "" if db == DEFAULT_DB else f" --db {db}"
    for kind in dict.fromkeys(block.kind for block in plan.spec.blocks):
        console.print(f"the results of this plan:  {BLOCKS.get(kind).results_hint(spec, db_flag)}", soft_wrap=True)
    sys.exit(EXIT_CODES.get(summary.status, 1))
