"""`benchrun sql`, `runs`, `report` and `export`: reading the results file.

All of them open the file read-only for as long as one query takes, so they work while
a run is writing to it (they wait briefly for the run's next flush to finish).
"""
from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import NoReturn

import click
import duckdb
import psutil
from rich.console import Console

from benchrun.reports.html import render_html
from benchrun.reports.named import ReportError, find_report, list_reports, report_dirs, run_report
from benchrun.reports.render import fetch, rich_table, write_csv, write_json
from benchrun.storage.plans import use_run_plan, use_spec_plan
from benchrun.storage.store import StoreError, bring_up_to_date, connect

DEFAULT_DB = "benchrun.duckdb"
db_option = click.option(
    "--db",
    envvar="BENCHRUN_DB",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Results file (or set BENCHRUN_DB).",
)


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _plan_of(spec: str | None, run_id: str | None):
    """The units of SPEC as it stands now (None without a spec); exits on a bad spec."""
    if spec and run_id:
        _fail("give a spec or --run, not both: each names one plan")
    if not spec:
        return None
    from benchrun.cli.specs import load_plan

    return load_plan(spec).units


def _scope(con, units, run_id: str | None) -> None:
    """Make the views of `con` answer for a spec's plan, a run's, or (neither) the newest run's."""
    if run_id:
        use_run_plan(con, run_id)
    elif units is not None:
        use_spec_plan(con, units)


def _console() -> Console:
    # Piped output is for reading in full (or in a README): do not fold it to 80 columns.
    console = Console()
    return console if console.is_terminal else Console(width=1000)


@click.command(
    epilog="""\b
Examples:
  benchrun sql "SELECT * FROM pass_at_k"
  benchrun sql "SELECT name, avg(value) FROM metrics GROUP BY name" --csv > means.csv
  benchrun sql "SELECT * FROM trial_summary ORDER BY best_value LIMIT 5" --json
"""
)
@click.argument("query")
@db_option
@click.option("--spec", "spec", type=click.Path(dir_okay=False), help="The views answer for this spec's plan as it stands.")
@click.option("--run", "run_id", help="The views answer for this run's plan (default: the newest run's).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
def sql(query: str, db: str, spec: str | None, run_id: str | None, as_csv: bool, as_json: bool) -> None:
    """Run a SQL QUERY on the results file and print the result.

    Tables: runs, planned_units, units, samples, sample_measures, metrics, completions,
    prompts, proposals, stop_decisions, prompt_candidates. Views
    (for one plan: --spec, --run, else the newest run's): plan_units, unit_results,
    current_samples, current_measures, measures_by_task, pass_at_k, pass_at_k_by_functionality, trial_summary,
    trial_objectives, pareto_front, search_curve.
    Works while a run is writing to the same file."""
    if as_csv and as_json:
        _fail("choose one of --csv and --json")
    units = _plan_of(spec, run_id)
    bring_up_to_date(db)
    try:
        with connect(db, read_only=True) as con:
            _scope(con, units, run_id)
            columns, rows = fetch(con, query)
    except StoreError as err:
        _fail(str(err))
    except duckdb.Error as err:
        _fail(str(err))
    if as_csv:
        write_csv(columns, rows, sys.stdout)
    elif as_json:
        write_json(columns, rows, sys.stdout)
    elif columns:
        _console().print(rich_table(columns, rows, limit=1000))


RUNS_SQL = """
SELECT r.run_id, r.status, r.started, r.finished, r.units_planned AS planned,
       r.units_skipped AS resumed, count(u.unit_id) FILTER (u.status = 'done') AS done,
       count(u.unit_id) FILTER (u.status = 'failed') AS failed, r.spec_path AS spec, r.pid, r.host
FROM runs r LEFT JOIN units u USING (run_id)
GROUP BY ALL ORDER BY r.started DESC LIMIT ?
"""


@click.command(epilog="Example:\n  benchrun runs --limit 5")
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many recent runs.")
def runs(db: str, limit: int) -> None:
    """List recent runs with their status and unit counts (resumed = already done before)."""
    try:
        with connect(db, read_only=True) as con:
            columns, rows = fetch(con, RUNS_SQL, [limit])
    except (StoreError, duckdb.Error) as err:
        _fail(str(err))
    host = socket.gethostname()
    status_at = columns.index("status")
    shown = []
    for row in rows:
        values = list(row)
        # A run still "running" whose process is gone was killed; the next run marks it.
        if values[status_at] == "running" and values[-1] == host and not psutil.pid_exists(values[-2]):
            values[status_at] = "running (process gone)"
        shown.append(tuple(values[:-2]))
    _console().print(rich_table(columns[:-2], shown))


@click.command(
    epilog="""\b
Examples:
  benchrun report --list
  benchrun report paper specs/translation.bench     # the spec's plan as it stands
  benchrun report compare specs/patel.bench --a gpt35 --b wizardcoder   # paired differences
  benchrun report tuning --run r-20250101-120000-1a2b --html tuning.html
  benchrun report mine --dir my-reports/      # runs my-reports/mine.sql
"""
)
@click.argument("name", required=False)
@click.argument("spec", required=False, type=click.Path(dir_okay=False))
@db_option
@click.option("--run", "run_id", help="Answer for this run's plan, resumed units included (also binds $run).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write a static HTML file with charts.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), help="Folder of your own .sql reports (also: BENCHRUN_REPORTS).")
@click.option("--a", "side_a", metavar="X", help="compare: one side (a model, strategy or level); binds $a.")
@click.option("--b", "side_b", metavar="Y", help="compare: the other side; binds $b.")
@click.option("--list", "list_only", is_flag=True, help="List the reports available.")
def report(name: str | None, spec: str | None, db: str, run_id: str | None, html_path: str | None,
           folder: str | None, side_a: str | None, side_b: str | None, list_only: bool) -> None:
    """Run the named report NAME (a .sql file) and print its tables.

    The report answers for one plan: SPEC's units as the spec stands now, the units a
    run planned (--run ID), or else the newest run's. Reports are looked up in --dir,
    then the folders in BENCHRUN_REPORTS, then the reports that come with benchrun.
    Each SQL statement in the file prints one table. `compare` gives the paired
    difference a - b of two models, strategies or levels on the same tasks (--a X --b Y)."""
    dirs = report_dirs(folder)
    units = None if list_only or not name else _plan_of(spec, run_id)
    console = _console()
    try:
        if list_only or not name:
            for found in list_reports(dirs):
                console.print(f"[bold]{found.name}[/bold]  {found.description}  [dim]{found.path}[/dim]")
            return
        named = find_report(name, dirs)
        bring_up_to_date(db)
        with connect(db, read_only=True) as con:
            _scope(con, units, run_id)
            results = run_report(con, named, run_id, {"a": side_a, "b": side_b})
    except (ReportError, StoreError, duckdb.Error) as err:
        _fail(str(err))
    if named.description:
        console.print(named.description)
    for statement, columns, rows in results:
        if statement.title:  # above the table, not in it: a narrow table would wrap it
            console.print(f"\n[bold]{statement.title}[/bold]", soft_wrap=True)
        console.print(rich_table(columns, rows, limit=200))
    if html_path:
        plan = f"the plan of {spec}" if spec else f"the plan of run {run_id}" if run_id else "the newest run's plan"
        meta = f"results: {os.path.abspath(db)}, {plan}"
        Path(html_path).write_text(render_html(f"benchrun report: {named.name}", named.description, results, meta))
        click.echo(f"wrote {html_path}", err=True)


EXPORT_TABLES = ("runs", "planned_units", "units", "samples", "sample_measures", "metrics")


EXPORT_FORMATS = ("parquet", "mlflow")


@click.command(epilog="""\b
Examples:
  benchrun export latest --parquet out/
  benchrun export latest --to mlflow mlruns/     # then: mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db
""")
@click.argument("run_id", metavar="RUN")
@click.option("--parquet", "folder", type=click.Path(file_okay=False), help="Folder for the Parquet files (= --to parquet DIR).")
@click.option("--to", "target", type=(click.Choice(EXPORT_FORMATS), click.Path(file_okay=False)), metavar="FORMAT DIR",
              help="parquet DIR: the tables as Parquet files; mlflow DIR: the run's trials as MLflow runs in "
                   "DIR/mlflow.db (needs benchrun[mlflow]).")
@db_option
def export(run_id: str, folder: str | None, target: tuple[str, str] | None, db: str) -> None:
    """Write run RUN (or `latest`) elsewhere. Parquet: the rows of runs, planned_units,
    units, samples, sample_measures and metrics, one file each; planned_units is the run's whole plan, the
    other tables hold only the units it ran itself (not those it resumed). MLflow: every
    trial of the run's plan as an MLflow run (params, metric histories with their steps,
    system metrics, tags for block, data set, algorithm and stop reason), one experiment
    per tune block; trials exported before are skipped."""
    if target is not None and folder is None:
        kind, folder = target
    elif target is None and folder is not None:
        kind = "parquet"
    else:
        _fail("give one of --parquet DIR and --to FORMAT DIR")
    out = Path(folder)
    try:
        with connect(db, read_only=True) as con:
            if run_id == "latest":
                found = con.execute("SELECT run_id FROM runs ORDER BY started DESC LIMIT 1").fetchone()
            else:
                found = con.execute("SELECT run_id FROM runs WHERE run_id = ?", [run_id]).fetchone()
            if not found:
                _fail(f"no run {run_id!r} in {db} (see `benchrun runs`)")
            run_id = found[0]
            if kind == "mlflow":
                return _export_mlflow(con, run_id, out)
            out.mkdir(parents=True, exist_ok=True)
            for table in EXPORT_TABLES:
                target_file = str(out / f"{table}.parquet").replace("'", "''")
                con.execute(f"COPY (SELECT * FROM {table} WHERE run_id = ?) TO '{target_file}' (FORMAT parquet)", [run_id])
    except (StoreError, duckdb.Error, OSError) as err:
        _fail(str(err))
    click.echo(f"exported run {run_id} to {out}/ ({', '.join(t + '.parquet' for t in EXPORT_TABLES)})")


def _export_mlflow(con, run_id: str, out: Path) -> None:
    from benchrun.tuning.export_mlflow import ExportError, export_run, store_uri

    use_run_plan(con, run_id)
    try:
        counts = export_run(con, run_id, out)
    except ExportError as err:
        _fail(str(err))
    click.echo(f"exported run {run_id}: {counts['exported']} trial(s) as MLflow runs in {counts['experiments']} "
               f"experiment(s), {counts['skipped']} exported before; open it with "
               f"mlflow ui --backend-store-uri {store_uri(out)}")
