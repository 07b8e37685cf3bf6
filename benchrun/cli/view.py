"""`benchrun view`: browse the results file in a web browser (served on 127.0.0.1 only)."""
from __future__ import annotations

import errno
import socket

import click

from benchrun.cli.report import _fail, _plan_of, db_option
from benchrun.storage.plans import use_run_plan
from benchrun.storage.store import StoreError, bring_up_to_date, connect

HOST = "127.0.0.1"  # loopback only: the pages show generated programs and prompts


@click.command(
    epilog="""\b
Examples:
  benchrun view                                  # the newest run's plan, http://127.0.0.1:8765/
  benchrun view specs/translation.bench --db results.duckdb
  benchrun view --run r-20250101-120000-1a2b --port 0   # any free port
"""
)
@click.argument("spec", required=False, type=click.Path(dir_okay=False))
@db_option
@click.option("--run", "run_id", help="Answer for this run's plan (default: the newest run's).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1 (0: any free one).")
def view(spec: str | None, db: str, run_id: str | None, port: int) -> None:
    """Serve the results in a local web app: pass@k per functionality, model and strategy,
    every sample (filterable, with its diff and check output), every tuning trial (its
    curves and the step a rule stopped it). It reads the file read-only on each request,
    so it works while a run writes to it. Ctrl-C stops it."""
    import uvicorn

    from benchrun.view import create_app

    units = _plan_of(spec, run_id)
    bring_up_to_date(db)
    try:
        with connect(db, read_only=True) as con:
            if run_id:
                use_run_plan(con, run_id)
    except StoreError as err:
        _fail(str(err))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as err:
        sock.close()
        reason = "it is in use (pass another --port, or 0 for any free one)" if err.errno == errno.EADDRINUSE else err.strerror
        _fail(f"cannot listen on {HOST}:{port}: {reason}")
    sock.listen(64)
    address = f"http://{HOST}:{sock.getsockname()[1]}/"
    app = create_app(db, units=units, run_id=run_id, spec_path=spec)
    click.echo(f"benchrun view: {address}  (results {db}; Ctrl-C to stop)", nl=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    server.run(sockets=[sock])
