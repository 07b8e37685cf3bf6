"""A report as one static HTML file: its tables, and SVG charts drawn here.

The charts are plain SVG written by hand (bars, lines, points): no plotting library to
install, and the file opens anywhere without scripts or network. A chart line with
`plotly` is drawn with Plotly instead (benchrun.reports.plots), its script inlined once.
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from benchrun.reports.render import cell, finite_number

PALETTE = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"]
MAX_SERIES = 10
MAX_POINTS = 400
MAX_ROWS = 500
W, H = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 210, 24, 70


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= m * step)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


class _Axis:
    """Maps data values to pixels, linear or log10."""

    def __init__(self, low: float, high: float, a: float, b: float, log: bool = False):
        self.log = log and low > 0
        f = math.log10 if self.log else float
        self.low, self.high = f(low), f(high)
        if self.high == self.low:
            self.low, self.high = self.low - 1, self.high + 1
        self.a, self.b = a, b

    def __call__(self, value: float) -> float:
        v = math.log10(value) if self.log else value
        return self.a + (v - self.low) / (self.high - self.low) * (self.b - self.a)

    def ticks(self) -> list[float]:
        if self.log:
            decades = range(math.floor(self.low), math.ceil(self.high) + 1)
            steps = (1,) if len(decades) > 3 else (1, 2, 5)
            return [m * 10.0**e for e in decades for m in steps]
        return _ticks(self.low, self.high)


def _series(columns: Sequence[str], rows: Sequence[tuple], chart: dict) -> dict[str, list[tuple[Any, float]]]:
    for key in ("x", "y", "series"):
        if key in chart and chart[key] not in columns:
            raise ValueError(f"chart column {chart[key]!r} is not in the result ({', '.join(columns)})")
    xi, yi = columns.index(chart["x"]), columns.index(chart["y"])
    si = columns.index(chart["series"]) if "series" in chart else None
    groups: dict[str, list[tuple[Any, float]]] = {}
    for row in rows:
        y = finite_number(row[yi])
        if y is None:
            continue
        name = chart["y"] if si is None else str(row[si])
        if name in groups or len(groups) < MAX_SERIES:
            groups.setdefault(name, []).append((row[xi], y))
    return groups


def _frame(parts: list[str], x_label: str, y_label: str, names: list[str]) -> str:
    parts.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 8}" text-anchor="middle">{_esc(x_label)}</text>')
    parts.append(f'<text transform="translate(14,{(TOP + H - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">{_esc(y_label)}</text>')
    for i, name in enumerate(names):
        y = TOP + 6 + i * 18
        parts.append(f'<rect x="{W - RIGHT + 12}" y="{y}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{W - RIGHT + 30}" y="{y + 10}">{_esc(str(name)[:32])}</text>')
    head = f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-size="11" font-family="sans-serif">'
    return f'{head}{"".join(parts)}</svg>'


def _y_grid(parts: list[str], axis: _Axis) -> None:
    for t in axis.ticks():
        y = axis(t)
        if TOP - 1 <= y <= H - BOTTOM + 1:
            parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{cell(t)}</text>')


def svg_chart(columns: Sequence[str], rows: Sequence[tuple], chart: dict) -> str:
    groups = _series(columns, rows, chart)
    if not groups:
        return "<p><em>nothing to plot</em></p>"
    values = [y for points in groups.values() for _, y in points]
    parts: list[str] = []
    if chart["kind"] == "bar":
        cats = list(dict.fromkeys(str(x) for points in groups.values() for x, _ in points))
        yaxis = _Axis(min(0.0, min(values)), max(values) or 1.0, H - BOTTOM, TOP)
        _y_grid(parts, yaxis)
        slot = (W - RIGHT - LEFT) / len(cats)
        bar = slot * 0.8 / len(groups)
        for gi, (name, points) in enumerate(groups.items()):
            for x, y in points:
                left = LEFT + cats.index(str(x)) * slot + slot * 0.1 + gi * bar
                top, base = yaxis(max(y, 0)), yaxis(min(y, 0))
                parts.append(
                    f'<rect x="{left:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{base - top:.1f}" '
                    f'fill="{PALETTE[gi % len(PALETTE)]}"><title>{_esc(name)} {_esc(x)}: {cell(y)}</title></rect>'
                )
        for i, cat in enumerate(cats):
            x = LEFT + (i + 0.5) * slot
            parts.append(f'<text transform="translate({x:.1f},{H - BOTTOM + 12}) rotate(30)">{_esc(cat[:24])}</text>')
    else:
        xs = [finite_number(x) for points in groups.values() for x, _ in points]
        xs = [x for x in xs if x is not None]
        if not xs:
            return "<p><em>x is not numeric: nothing to plot</em></p>"
        xaxis = _Axis(min(xs), max(xs), LEFT, W - RIGHT, bool(chart.get("logx")))
        yaxis = _Axis(min(values), max(values), H - BOTTOM, TOP, bool(chart.get("logy")))
        _y_grid(parts, yaxis)
        for t in xaxis.ticks():
            x = xaxis(t)
            if LEFT - 1 <= x <= W - RIGHT + 1:
                parts.append(f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{cell(t)}</text>')
        for gi, points in enumerate(groups.values()):
            color = PALETTE[gi % len(PALETTE)]
            pts = sorted((x, y) for x, y in ((finite_number(x), y) for x, y in points) if x is not None)
            if chart["kind"] == "line":
                stride = max(1, len(pts) // MAX_POINTS)
                path = " ".join(f"{xaxis(x):.1f},{yaxis(y):.1f}" for x, y in pts[::stride])
                parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.5"/>')
                if len(pts) <= 30:  # few points: mark them, so a one-point series shows
                    parts += [f'<circle cx="{xaxis(x):.1f}" cy="{yaxis(y):.1f}" r="2.5" fill="{color}"/>' for x, y in pts]
            else:
                for x, y in pts[:: max(1, len(pts) // (MAX_POINTS * 4))]:
                    parts.append(f'<circle cx="{xaxis(x):.1f}" cy="{yaxis(y):.1f}" r="3" fill="{color}" fill-opacity="0.7"/>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{H - BOTTOM}" stroke="#333"/>')
    parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{H - BOTTOM}" y2="{H - BOTTOM}" stroke="#333"/>')
    return _frame(parts, chart["x"], chart["y"], list(groups))


def html_table(columns: Sequence[str], rows: Sequence[tuple]) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_esc(cell(v))}</td>" for v in row) + "</tr>" for row in rows[:MAX_ROWS])
    more = f"<p class=note>{MAX_ROWS} of {len(rows)} rows shown</p>" if len(rows) > MAX_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


STYLE = """body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;font-size:13px;margin:.5em 0 2em}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3}td{text-align:right}.note,.meta{color:#666;font-size:12px}svg{display:block;margin:1em 0}"""


def render_html(title: str, description: str, results, meta: str = "") -> str:
    """results: [(Statement, columns, rows)] as from named.run_report."""
    sections = []
    plotly_js = True  # inlined with the first Plotly figure only
    for statement, columns, rows in results:
        head = f"<h2>{_esc(statement.title)}</h2>" if statement.title else ""
        chart = ""
        if statement.chart:
            try:
                if statement.chart.get("plotly"):
                    from benchrun.reports.plots import plotly_chart

                    drawn = plotly_chart(columns, rows, statement.chart, include_js=plotly_js)
                    chart, plotly_js = drawn or "<p><em>nothing to plot</em></p>", plotly_js and drawn is None
                else:
                    chart = svg_chart(columns, rows, statement.chart)
            except ValueError as err:
                chart = f"<p class=note>chart skipped: {_esc(err)}</p>"
        sections.append(head + chart + html_table(columns, rows))
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{_esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{_esc(title)}</h1><p>{_esc(description)}</p><p class=meta>{_esc(meta)}</p>{''.join(sections)}</body></html>\n"
    )
