"""The charts of a report's tables, drawn with Plotly, and shared with `benchrun view`.

A chart line names columns of its table (see benchrun.reports.named):

    -- chart: bar x=functionality y=pass_at series=model,strategy facet=k
    -- chart: line x=trial y=best_so_far series=search
    -- chart: scatter x=peak_memory_mb y=best_value series=search mark=on_front
    -- chart: bar x=functionality y=pass_at series=model facet=k error=pass_at_low,pass_at_high

`series=` and `facet=` may name several columns (comma-separated): one trace per distinct
combination, one panel per facet value. A bar chart's bars are grouped side by side, and
two rows that would draw a bar at the same place are refused (name the missing column in
series= or facet=), so no bar ever hides another. `mark=COLUMN` also draws, per series,
the points where COLUMN is true joined as a step line (a Pareto front). `error=LOW,HIGH`
draws each bar's or point's interval from those two columns as an error bar (Plotly's
error_y; none where either end is empty). `logx`, `logy`.

A figure goes into a page as `<script type="application/json">` (figure_json), drawn by
figures.js; text Plotly draws (trace names, titles) is HTML-escaped first, because Plotly
reads a few tags in it (`<br>`, `<a href>`).
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from benchrun.reports.render import cell, finite_number

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
FIGURES_JS = Path(__file__).parent / "figures.js"  # draws every figure a page carries
PALETTE = qualitative.Plotly + qualitative.D3
LAYOUT: dict[str, Any] = {"template": "plotly_white", "margin": {"l": 60, "r": 20, "t": 40, "b": 50}}
MAX_POINTS = 1000  # per line: a longer one is thinned to keep the file small
FACET_COLUMNS = 4


def figure_json(figure: go.Figure) -> str:
    """The figure as JSON that is safe inside a <script type="application/json"> element:
    `<`, `>` and `&` as JSON escapes, so no text inside can close it."""
    return figure.to_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def text(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _columns(chart: dict, key: str) -> list[str]:
    return [c for c in str(chart.get(key, "")).split(",") if c]


def _values(row: tuple, indexes: list[int]) -> tuple[str, ...]:
    return tuple(cell(row[i]) for i in indexes)


Groups = dict[tuple[tuple[str, ...], str], list[tuple[Any, float, tuple]]]


def _groups(columns: Sequence[str], rows: Sequence[tuple], chart: dict) -> Groups:
    """(facet values, series name) -> [(x, y, row)]: a bar's x is a category, a point's a number;
    rows without a number to plot are left out. Raises ValueError for a column not in the
    table, or two rows that would draw one bar."""
    named = [chart["x"], chart["y"], *_columns(chart, "series"), *_columns(chart, "facet"), *_columns(chart, "mark"),
             *_columns(chart, "error")]
    missing = [c for c in named if c not in columns]
    if missing:
        raise ValueError(f"chart column {missing[0]!r} is not in the result ({', '.join(columns)})")
    xi, yi = columns.index(chart["x"]), columns.index(chart["y"])
    series_at = [columns.index(c) for c in _columns(chart, "series")]
    facet_at = [columns.index(c) for c in _columns(chart, "facet")]
    bars = chart["kind"] == "bar"
    groups: Groups = {}
    for row in rows:
        x, y = (cell(row[xi]) if bars else finite_number(row[xi])), finite_number(row[yi])
        if x is None or y is None:
            continue
        key = (_values(row, facet_at), " / ".join(_values(row, series_at)) or chart["y"])
        if bars and any(x == seen for seen, _, _ in groups.get(key, ())):
            where = ", ".join(f"{c}={v}" for c, v in zip([chart["x"], *_columns(chart, "facet")], (x, *key[0])))
            where += f" of series {key[1]!r}" if series_at else ""
            raise ValueError(f"two rows draw the bar at {where}: add the column that tells them apart to series= or facet=")
        groups.setdefault(key, []).append((x, y, row))
    return groups


def _error_bars(columns: Sequence[str], points: list[tuple[Any, float, tuple]], chart: dict) -> dict[str, Any]:
    """Plotly's error_y for the points, from the chart's error=LOW,HIGH columns ({} without
    them): the distances below and above each y; NaN (no bar) where an end is missing."""
    ends = _columns(chart, "error")
    if not ends:
        return {}
    low_at, high_at = (columns.index(c) for c in ends)
    below: list[float] = []
    above: list[float] = []
    for _, y, row in points:
        low, high = finite_number(row[low_at]), finite_number(row[high_at])
        if low is None or high is None:
            below.append(math.nan)
            above.append(math.nan)
        else:
            below.append(max(y - low, 0.0))
            above.append(max(high - y, 0.0))
    return {"error_y": {"type": "data", "symmetric": False, "array": above, "arrayminus": below,
                        "color": "#444", "thickness": 1.2, "width": 4}}


def _interval_note(y: float, errors: dict[str, Any], i: int) -> str:
    """ " (95% CI [low, high])" for point i of the error bars, "" without one."""
    if not errors or math.isnan(errors["error_y"]["array"][i]):
        return ""
    return f" (95% CI [{y - errors['error_y']['arrayminus'][i]:.2f}, {y + errors['error_y']['array'][i]:.2f}])"


def chart_figure(columns: Sequence[str], rows: Sequence[tuple], chart: dict) -> go.Figure | None:
    """The figure a chart line asks for: a trace per series (in each facet's panel); None when
    no row has a number to plot. Raises ValueError as _groups does."""
    groups = _groups(columns, rows, chart)
    if not groups:
        return None
    bars = chart["kind"] == "bar"
    facets = list(dict.fromkeys(facet for facet, _ in groups))
    names = list(dict.fromkeys(name for _, name in groups))
    cols = min(len(facets), FACET_COLUMNS)
    facet_rows = math.ceil(len(facets) / cols)
    titles = [text(", ".join(f"{c} = {v}" for c, v in zip(_columns(chart, "facet"), facet))) for facet in facets]
    figure = make_subplots(rows=facet_rows, cols=cols, shared_yaxes=True, subplot_titles=titles if facets != [()] else None,
                           horizontal_spacing=0.03, vertical_spacing=0.12)
    mark = columns.index(chart["mark"]) if "mark" in chart else None
    in_legend: set[str] = set()
    for (facet, name), points in groups.items():
        place = facets.index(facet)
        where = {"row": place // cols + 1, "col": place % cols + 1}
        color = PALETTE[names.index(name) % len(PALETTE)]
        common = {"name": text(name), "legendgroup": text(name), "showlegend": name not in in_legend}
        in_legend.add(name)
        if bars:
            errors = _error_bars(columns, points, chart)
            # With error bars the value goes inside the bar, where no bar's whisker crosses it,
            # and the interval into the hover text.
            hover = [f"{text(x)}: {cell(y)}" + _interval_note(y, errors, i) for i, (x, y, _) in enumerate(points)]
            figure.add_bar(x=[text(x) for x, _, _ in points], y=[y for _, y, _ in points], marker_color=color,
                           text=[cell(y) for _, y, _ in points], textposition="inside" if errors else "outside",
                           cliponaxis=False, hovertext=hover, hovertemplate="%{hovertext}<extra>%{fullData.name}</extra>",
                           **errors, **common, **where)
            continue
        lines = chart["kind"] == "line"
        if lines:
            points = sorted(points, key=lambda p: p[0])
            points = points[:: max(1, math.ceil(len(points) / MAX_POINTS))]
        figure.add_scatter(x=[x for x, _, _ in points], y=[y for _, y, _ in points],
                           mode="lines+markers" if lines and len(points) <= 60 else "lines" if lines else "markers",
                           line={"color": color}, marker={"color": color, "opacity": 1.0 if lines else 0.6},
                           **_error_bars(columns, points, chart), **common, **where)
        if mark is not None:
            front = sorted((x, y) for x, y, row in points if row[mark])
            figure.add_scatter(x=[x for x, _ in front], y=[y for _, y in front], name=text(f"{name}: Pareto front"),
                               mode="lines+markers", line={"color": color, "dash": "dot", "shape": "hv"},
                               marker={"color": color, "symbol": "diamond-open", "size": 12}, **where)
    figure.update_layout(**LAYOUT, height=(380 if bars else 440) * facet_rows, barmode="group",
                         legend={"font": {"size": 11}}, title=text(chart.get("title", "")) or None)
    figure.update_xaxes(type="log" if chart.get("logx") else "category" if bars else "linear")
    figure.update_yaxes(type="log" if chart.get("logy") else "linear")
    for col in range(1, cols + 1):
        figure.update_xaxes(title_text=text(chart["x"]), row=facet_rows, col=col)
    for row in range(1, facet_rows + 1):
        figure.update_yaxes(title_text=text(chart["y"]), row=row, col=1)
    return figure
