"""A report as one static HTML file: its tables, and the charts their chart lines ask for
(benchrun.reports.charts). plotly.js and the script that draws the figures are inlined once
per file, after the last figure, so the file opens offline and fetches nothing.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from benchrun.reports.charts import FIGURES_JS, PLOTLY_JS, chart_figure, figure_json
from benchrun.reports.render import cell

MAX_ROWS = 500


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def html_table(columns: Sequence[str], rows: Sequence[tuple]) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_esc(cell(v))}</td>" for v in row) + "</tr>" for row in rows[:MAX_ROWS])
    more = f"<p class=note>{MAX_ROWS} of {len(rows)} rows shown</p>" if len(rows) > MAX_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


STYLE = """body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;font-size:13px;margin:.5em 0 2em}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3}td{text-align:right}.note,.meta{color:#666;font-size:12px}.figure{margin:1em 0}"""


def _chart(columns: Sequence[str], rows: Sequence[tuple], chart: dict, number: int) -> tuple[str, bool]:
    """The chart's HTML, and whether it is a figure to draw."""
    try:
        figure = chart_figure(columns, rows, chart)
    except ValueError as err:
        return f"<p class=note>chart skipped: {_esc(err)}</p>", False
    if figure is None:
        return "<p><em>nothing to plot</em></p>", False
    return (f'<div class=figure data-figure="figure-{number}"></div>'
            f'<script type="application/json" id="figure-{number}">{figure_json(figure)}</script>'), True


def render_html(title: str, description: str, results, meta: str = "") -> str:
    """results: [(Statement, columns, rows)] as from named.run_report."""
    sections, drawn = [], False
    for number, (statement, columns, rows) in enumerate(results, start=1):
        head = f"<h2>{_esc(statement.title)}</h2>" if statement.title else ""
        chart, figure = _chart(columns, rows, statement.chart, number) if statement.chart else ("", False)
        drawn = drawn or figure
        sections.append(head + chart + html_table(columns, rows))
    if drawn:  # the scripts, once: plotly.js, then what draws the figures
        sections.append(f"<script>{PLOTLY_JS.read_text()}</script><script>{FIGURES_JS.read_text()}</script>")
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{_esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{_esc(title)}</h1><p>{_esc(description)}</p><p class=meta>{_esc(meta)}</p>{''.join(sections)}</body></html>\n"
    )
