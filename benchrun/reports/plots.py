"""Interactive charts (Plotly) for a report's tables, asked for with `plotly` on the chart
line: `-- chart: line x=trial y=best_so_far series=search plotly`.

plotly.js is written into the page once, with the first figure (`include_js`), so the file
opens offline and stays one file. `mark=COLUMN` on a chart also draws, per series, the
points where COLUMN is true joined as a step line (a Pareto front).
"""
from __future__ import annotations

from collections.abc import Sequence

from benchrun.reports.render import finite_number


def _groups(columns: Sequence[str], rows: Sequence[tuple], chart: dict) -> dict[str, list[tuple[float, float, tuple]]]:
    """(x, y, row) per series; rows without a numeric x or y are left out."""
    for key in ("x", "y", "series", "mark"):
        if key in chart and chart[key] not in columns:
            raise ValueError(f"chart column {chart[key]!r} is not in the result ({', '.join(columns)})")
    xi, yi = columns.index(chart["x"]), columns.index(chart["y"])
    si = columns.index(chart["series"]) if "series" in chart else None
    groups: dict[str, list[tuple[float, float, tuple]]] = {}
    for row in rows:
        x, y = finite_number(row[xi]), finite_number(row[yi])
        if x is not None and y is not None:
            groups.setdefault(chart["y"] if si is None else str(row[si]), []).append((x, y, row))
    return groups


def plotly_chart(columns: Sequence[str], rows: Sequence[tuple], chart: dict, *, include_js: bool) -> str | None:
    """One figure as an HTML fragment: one trace per series (+ one per series for `mark`);
    None when no row has numbers to plot."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative

    groups = _groups(columns, rows, chart)
    if not groups:
        return None
    mark = columns.index(chart["mark"]) if "mark" in chart else None
    lines = chart["kind"] == "line"
    palette = qualitative.Plotly
    figure = go.Figure()
    for i, (name, points) in enumerate(groups.items()):
        color = palette[i % len(palette)]
        points = sorted(points, key=lambda p: p[0]) if lines else points
        figure.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], name=name,
                                    mode="lines+markers" if lines else "markers", line={"color": color},
                                    marker={"color": color, "opacity": 1.0 if lines else 0.6}))
        if mark is not None:
            front = sorted((x, y) for x, y, row in points if row[mark])
            figure.add_trace(go.Scatter(x=[x for x, _ in front], y=[y for _, y in front], name=f"{name}: Pareto front",
                                        mode="lines+markers", line={"color": color, "dash": "dot", "shape": "hv"},
                                        marker={"color": color, "symbol": "diamond-open", "size": 12}))
    figure.update_layout(xaxis_title=chart["x"], yaxis_title=chart["y"], template="plotly_white", height=440,
                         margin={"t": 30}, legend={"font": {"size": 11}})
    figure.update_xaxes(type="log" if chart.get("logx") else "linear")
    figure.update_yaxes(type="log" if chart.get("logy") else "linear")
    return figure.to_html(full_html=False, include_plotlyjs=include_js)
