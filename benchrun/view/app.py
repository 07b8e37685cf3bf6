"""The Starlette application of `benchrun view`.

Pages: `/` the plan's overview, `/samples` (filters as query parameters) and
`/samples/{unit_id}`, `/trials` and `/trials/{unit_id}`. Every page is rendered on the
server from the results file as it is at that moment; the only scripts are plotly.js,
served from the installed plotly package, `figures.js`, which draws the figures the page
carries as JSON (as an HTML report does), and `static/view.js`. The Content-Security-Policy
allows no other script, so a generated program shown on a page cannot run even if
escaping were to fail.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from benchrun.reports.charts import FIGURES_JS, PLOTLY_JS
from benchrun.storage.store import StoreError
from benchrun.view import charts, data
from benchrun.view.tasks import TaskFinder, program_diff

HERE = Path(__file__).parent
STATIC = {"view.js": (HERE / "static" / "view.js", "text/javascript"),
          "figures.js": (FIGURES_JS, "text/javascript"),
          "view.css": (HERE / "static" / "view.css", "text/css"),
          "plotly.min.js": (PLOTLY_JS, "text/javascript")}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _number(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:.{digits}g}"
    return str(value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _number
    env.filters["tojson_pretty"] = lambda value: json.dumps(value, indent=2, sort_keys=True, default=str)
    return env


def create_app(db: str, *, units: Sequence[Any] | None = None, run_id: str | None = None,
               spec_path: str | None = None, title: str | None = None) -> Starlette:
    """The view of results file `db`, answering for `units` (a spec's plan), a run's plan, or the newest run's."""
    results = data.Results(db, units=units, run_id=run_id)
    templates = Jinja2Templates(env=_environment())

    def spec_paths() -> list[str]:
        paths = [spec_path] if spec_path else []
        try:
            with results.read() as con:
                paths += [r["spec_path"] for r in data.rows(con, "SELECT spec_path FROM runs ORDER BY started DESC")]
        except StoreError:
            pass
        return paths

    finder = TaskFinder(spec_paths)
    scope = f"the plan of run {run_id}" if run_id else f"the plan of {spec_path}" if spec_path else "the newest run's plan"

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        base = {"db": db, "scope": scope, "title": title or "benchrun view"}
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def overview(request: Request) -> Response:
        with results.read() as con:
            found = data.overview(con)
        for benchmark in found["benchmarks"]:
            benchmark["figure"] = charts.figure_json(charts.passk_figure(benchmark, benchmark["ks"][0]))
        return page(request, "overview.html", found)

    def sample_list(request: Request) -> Response:
        filters = {name: request.query_params.get(name, "") for name in (*data.SAMPLE_FILTERS, "passed")}
        with results.read() as con:
            found = data.samples(con, filters)
        return page(request, "samples.html", {**found, "filters": filters})

    def sample_page(request: Request) -> Response:
        unit_id = request.path_params["unit_id"]
        with results.read() as con:
            row = data.sample(con, unit_id)
        if row is None:
            raise HTTPException(404, f"no sample of unit {unit_id} in this file")
        task_id = row["params"].get("task") or row["task"]
        task = finder.find(task_id) if task_id else None
        diff, note = [], ""
        if task is None:
            note = f"the task {task_id} was not found (not in the spec nor beside it), so the program is shown as extracted"
        else:
            if row["params"].get("task_digest") and row["params"]["task_digest"] != task.digest:
                note = f"the task folder {task.path} has changed since this sample was generated"
            if row["code"]:
                diff = program_diff(task.program, row["code"], f"input/{task.entry}", f"extracted/{task.entry}")
        return page(request, "sample.html", {"s": row, "task": task, "diff": diff, "note": note})

    def trial_list(request: Request) -> Response:
        block = request.query_params.get("block") or None
        with results.read() as con:
            found = data.trials(con, block)
            searches = [] if block else data.search_comparison(con)
        blocks: dict[str, list[dict[str, Any]]] = {}
        for row in found:
            blocks.setdefault(row["block"], []).append(row)
        for number, search in enumerate(searches, start=1):
            search["id"] = f"search-{number}"
            search["figure"] = None if "error" in search else charts.figure_json(charts.search_figure(search))
        return page(request, "trials.html", {"blocks": blocks, "block": block or "", "searches": searches})

    def trial_page(request: Request) -> Response:
        unit_id = request.path_params["unit_id"]
        with results.read() as con:
            row = data.trial(con, unit_id)
        if row is None:
            raise HTTPException(404, f"no trial {unit_id} in this plan")
        curves = charts.curves_figure(row["metrics"], row["metric"], row["stopped_at_step"] if row["stopped_early"] else None,
                                      row["stop_reason"])
        params = charts.block_params(row["block_trials"], unit_id)
        figures = {"curves": charts.figure_json(curves),
                   "scatter": charts.figure_json(charts.block_scatter(row["block_trials"], unit_id)),
                   "params": charts.figure_json(params) if params else None}
        return page(request, "trial.html", {"t": row, "figures": figures})

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404, f"no file {name}")
        path, media_type = STATIC[name]
        return FileResponse(path, media_type=media_type, headers={"cache-control": "max-age=3600"})

    def http_error(request: Request, error: HTTPException) -> Response:
        return page(request, "error.html", {"status": error.status_code, "message": error.detail}, status=error.status_code)

    def store_error(request: Request, error: Exception) -> Response:
        # A file a flush holds for longer than the retries wait, or one that cannot be read.
        return page(request, "error.html", {"status": 503, "message": str(error)}, status=503)

    return Starlette(
        routes=[Route("/", overview), Route("/samples", sample_list), Route("/samples/{unit_id}", sample_page),
                Route("/trials", trial_list), Route("/trials/{unit_id}", trial_page),
                Route("/static/{name}", static), Route("/favicon.ico", lambda request: Response(status_code=204))],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]"]),
                    Middleware(SecurityHeaders)],
        # Starlette types every handler as taking any Exception, not the class it is registered for
        exception_handlers={HTTPException: http_error,  # type: ignore[dict-item]
                            StoreError: store_error, duckdb.Error: store_error},
    )



class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (a plain ASGI middleware)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      *((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items())]
            await send(message)

        await self.app(scope, receive, send_with_headers)
