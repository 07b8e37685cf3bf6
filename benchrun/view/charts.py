"""The Plotly figures of the pages, as JSON (charts.figure_json) for figures.js to draw.
The figure a page shares with a report is drawn by benchrun.reports.charts."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from benchrun.reports.charts import LAYOUT, PALETTE, chart_figure, figure_json, text
from benchrun.view.data import CURVES

__all__ = ["block_params", "block_scatter", "curves_figure", "figure_json", "passk_figure", "search_figure"]


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None


def passk_figure(benchmark: dict[str, Any], k: int) -> go.Figure:
    """pass@k per functionality: one bar per model and strategy, side by side (incomplete cells have none),
    a panel per instruction level, each bar with its 95 % interval as an error bar; drawn as the paper
    report draws it."""
    y = f"pass@{k}"
    cells = sorted(benchmark["cells"], key=lambda c: (c["level"], c["model"], c["strategy"], c["functionality"]))
    rows = [(c["functionality"], c["model"], c["strategy"], c["level"], c["pass"].get(k), *(c["interval"].get(k) or (None, None)))
            for c in cells]
    chart = {"kind": "bar", "x": "functionality", "y": y, "series": "model,strategy", "facet": "level", "error": "low,high"}
    figure = chart_figure(["functionality", "model", "strategy", "level", y, "low", "high"], rows, chart) or go.Figure()
    figure.update_yaxes(range=[0, 1.12])
    figure.update_layout(legend_title="model / strategy", margin={**LAYOUT["margin"], "t": 80},  # the title above the panels'
                         title=text(f"{benchmark['block']}: {y} per functionality"))
    return figure


def search_figure(search: dict[str, Any]) -> go.Figure:
    """The best feasible objective after n trials, one curve per search block of the problem,
    drawn as `benchrun report search` draws it."""
    curve = search["curve"]
    figure = chart_figure(curve["columns"], curve["rows"], search["chart"]) or go.Figure()
    problem = search["problem"]
    figure.update_layout(title=text(f"{problem['dataset']} / {problem['algorithm']}: best feasible objective after n trials"),
                         height=400, legend_title="search")
    return figure


def curves_figure(metrics: dict[str, list[tuple[int, float]]], objective: str | None,
                  stopped_at: int | None, stop_reason: str | None) -> go.Figure:
    """One panel per curve (by step), the step where a rule stopped the trial marked on each."""
    names = [name for name in CURVES if name in metrics]
    if objective and objective in metrics and objective not in names:
        names.insert(0, objective)
    names = names or sorted(metrics)[:6]
    figure = make_subplots(rows=max(len(names), 1), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                           subplot_titles=[text(n) for n in names])
    for row, name in enumerate(names, start=1):
        steps, values = zip(*metrics[name]) if metrics[name] else ((), ())
        figure.add_scatter(x=list(steps), y=list(values), name=text(name), mode="lines+markers" if len(steps) < 60 else "lines",
                           line={"color": PALETTE[(row - 1) % len(PALETTE)]}, row=row, col=1)
    if stopped_at is not None:
        for row in range(1, len(names) + 1):
            figure.add_vline(x=stopped_at, line={"color": "crimson", "dash": "dash"}, row=row, col=1)
        figure.add_annotation(x=stopped_at, y=1.0, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                              text=text(f"stopped at step {stopped_at}: {stop_reason}"), font={"color": "crimson"})
    figure.update_layout(**LAYOUT, height=180 * max(len(names), 1) + 60, showlegend=False)
    figure.update_xaxes(title_text="step", row=max(len(names), 1), col=1)
    return figure


def _config_text(config: dict[str, Any]) -> str:
    return "<br>".join(f"{text(k)} = {text(v)}" for k, v in config.items())


def block_scatter(trials: Sequence[dict[str, Any]], current: str | None = None) -> go.Figure:
    """Each trial of a block: its objective against its peak memory, stopped ones apart."""
    figure = go.Figure()
    metric = next((t["metric"] for t in trials if t.get("metric")), "objective")
    groups = (("completed", lambda t: not t["stopped_early"], "circle", PALETTE[0]),
              ("stopped by a rule", lambda t: t["stopped_early"], "x", "crimson"))
    for name, keep, symbol, color in groups:
        chosen = [t for t in trials if keep(t)]
        if not chosen:
            continue
        figure.add_scatter(
            x=[_number(t["peak_memory_mb"]) for t in chosen], y=[_number(t["best_value"]) for t in chosen], mode="markers",
            name=name, marker={"symbol": symbol, "size": 10, "color": color},
            customdata=[t["unit_id"] for t in chosen],
            hovertext=[f"{text(t['unit_id'])}<br>{_config_text(t['config'])}<br>{text(t['stop_reason'] or '')}" for t in chosen],
            hovertemplate="%{hovertext}<br>peak memory %{x:.2f} MB<br>" + text(metric) + " %{y:.4g}<extra></extra>")
    this = [t for t in trials if t["unit_id"] == current]
    if this:
        figure.add_scatter(x=[_number(this[0]["peak_memory_mb"])], y=[_number(this[0]["best_value"])], mode="markers",
                           name="this trial", hoverinfo="skip",
                           marker={"symbol": "circle-open", "size": 22, "color": "black", "line": {"width": 2}})
    figure.update_layout(**LAYOUT, height=380, xaxis_title="peak memory (MB)", yaxis_title=text(f"best {metric}"),
                         title="configurations: objective against peak memory")
    return figure


def block_params(trials: Sequence[dict[str, Any]], current: str | None = None) -> go.Figure | None:
    """The objective against each numeric configuration key, one panel per key (stopped trials red)."""
    keys = sorted({k for t in trials for k, v in t["config"].items() if _number(v) is not None})
    if not keys:
        return None
    metric = next((t["metric"] for t in trials if t.get("metric")), "objective")
    figure = make_subplots(rows=1, cols=len(keys), shared_yaxes=True, horizontal_spacing=0.04,
                           subplot_titles=[text(k) for k in keys])
    for col, key in enumerate(keys, start=1):
        values = [_number(t["config"].get(key)) for t in trials]
        figure.add_scatter(
            x=values, y=[_number(t["best_value"]) for t in trials], mode="markers", showlegend=False,
            customdata=[t["unit_id"] for t in trials],
            marker={"size": [16 if t["unit_id"] == current else 9 for t in trials],
                    "color": ["crimson" if t["stopped_early"] else PALETTE[0] for t in trials],
                    "symbol": ["x" if t["stopped_early"] else "circle" for t in trials],
                    "line": {"width": [2 if t["unit_id"] == current else 0 for t in trials], "color": "black"}},
            hovertext=[f"{text(t['unit_id'])}<br>{_config_text(t['config'])}" for t in trials],
            hovertemplate="%{hovertext}<br>" + text(metric) + " %{y:.4g}<extra></extra>", row=1, col=col)
        present = [v for v in values if v is not None]
        if present and min(present) > 0 and max(present) > 20 * min(present):
            figure.update_xaxes(type="log", row=1, col=col)
    figure.update_yaxes(title_text=text(f"best {metric}"), row=1, col=1)
    figure.update_layout(**{**LAYOUT, "margin": {**LAYOUT["margin"], "t": 80}}, height=360,
                         title="the objective against each configuration key (red x: stopped by a rule)")
    return figure
