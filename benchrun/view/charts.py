"""The Plotly figures of the pages, as JSON for `static/view.js` to draw.

A figure goes into the page as `<script type="application/json">`, which the browser
never runs; `<`, `>` and `&` are written as JSON escapes so no text inside can close that
element. Text Plotly draws (trace names, hover text) is HTML-escaped first, because
Plotly reads a few tags in it (`<br>`, `<a href>`).
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from benchrun.view.data import CURVES

PALETTE = qualitative.Plotly + qualitative.D3
LAYOUT = {"template": "plotly_white", "margin": {"l": 60, "r": 20, "t": 40, "b": 50}}


def figure_json(figure: go.Figure) -> str:
    """The figure as JSON that is safe inside a <script type="application/json"> element."""
    return figure.to_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None


def passk_figure(benchmark: dict[str, Any], k: int) -> go.Figure:
    """pass@k per functionality: one bar per model and strategy, side by side (incomplete cells have none)."""
    figure = go.Figure()
    functionalities = sorted({cell["functionality"] for cell in benchmark["cells"]})
    series = sorted({(cell["model"], cell["strategy"]) for cell in benchmark["cells"]})
    for i, (model, strategy) in enumerate(series):
        values = {c["functionality"]: c["pass"].get(k) for c in benchmark["cells"] if (c["model"], c["strategy"]) == (model, strategy)}
        figure.add_bar(name=_text(f"{model} / {strategy}"), x=[_text(f) for f in functionalities],
                       y=[values.get(f) for f in functionalities], marker_color=PALETTE[i % len(PALETTE)],
                       hovertemplate="%{x}<br>pass@" + str(k) + " = %{y:.3f}<extra>%{fullData.name}</extra>")
    figure.update_layout(**LAYOUT, barmode="group", height=380, yaxis={"title": f"pass@{k}", "range": [0, 1.05]},
                         title=_text(f"{benchmark['block']}: pass@{k} per functionality"), legend_title="model / strategy")
    return figure


def curves_figure(metrics: dict[str, list[tuple[int, float]]], objective: str | None,
                  stopped_at: int | None, stop_reason: str | None) -> go.Figure:
    """One panel per curve (by step), the step where a rule stopped the trial marked on each."""
    names = [name for name in CURVES if name in metrics]
    if objective and objective in metrics and objective not in names:
        names.insert(0, objective)
    names = names or sorted(metrics)[:6]
    figure = make_subplots(rows=max(len(names), 1), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                           subplot_titles=[_text(n) for n in names])
    for row, name in enumerate(names, start=1):
        steps, values = zip(*metrics[name]) if metrics[name] else ((), ())
        figure.add_scatter(x=list(steps), y=list(values), name=_text(name), mode="lines+markers" if len(steps) < 60 else "lines",
                           line={"color": PALETTE[(row - 1) % len(PALETTE)]}, row=row, col=1)
    if stopped_at is not None:
        for row in range(1, len(names) + 1):
            figure.add_vline(x=stopped_at, line={"color": "crimson", "dash": "dash"}, row=row, col=1)
        figure.add_annotation(x=stopped_at, y=1.0, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                              text=_text(f"stopped at step {stopped_at}: {stop_reason}"), font={"color": "crimson"})
    figure.update_layout(**LAYOUT, height=180 * max(len(names), 1) + 60, showlegend=False)
    figure.update_xaxes(title_text="step", row=max(len(names), 1), col=1)
    return figure


def _config_text(config: dict[str, Any]) -> str:
    return "<br>".join(f"{_text(k)} = {_text(v)}" for k, v in config.items())


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
            hovertext=[f"{_text(t['unit_id'])}<br>{_config_text(t['config'])}<br>{_text(t['stop_reason'] or '')}" for t in chosen],
            hovertemplate="%{hovertext}<br>peak memory %{x:.2f} MB<br>" + _text(metric) + " %{y:.4g}<extra></extra>")
    this = [t for t in trials if t["unit_id"] == current]
    if this:
        figure.add_scatter(x=[_number(this[0]["peak_memory_mb"])], y=[_number(this[0]["best_value"])], mode="markers",
                           name="this trial", hoverinfo="skip",
                           marker={"symbol": "circle-open", "size": 22, "color": "black", "line": {"width": 2}})
    figure.update_layout(**LAYOUT, height=380, xaxis_title="peak memory (MB)", yaxis_title=_text(f"best {metric}"),
                         title="configurations: objective against peak memory")
    return figure


def block_parcoords(trials: Sequence[dict[str, Any]]) -> go.Figure | None:
    """Parallel coordinates of the numeric configuration keys, the objective and peak memory."""
    keys = sorted({k for t in trials for k, v in t["config"].items() if _number(v) is not None})
    if len(trials) < 2 or not keys:
        return None
    metric = next((t["metric"] for t in trials if t.get("metric")), "objective")
    dimensions = [{"label": _text(k), "values": [_number(t["config"].get(k)) for t in trials]} for k in keys]
    dimensions += [{"label": _text(f"best {metric}"), "values": [_number(t["best_value"]) for t in trials]},
                   {"label": "peak memory (MB)", "values": [_number(t["peak_memory_mb"]) for t in trials]}]
    for dimension in dimensions:
        if all(v is not None and v > 0 for v in dimension["values"]) and max(dimension["values"]) > 20 * min(dimension["values"]):
            dimension["values"] = [math.log10(v) for v in dimension["values"]]
            dimension["label"] += " (log10)"
    figure = go.Figure(go.Parcoords(
        dimensions=dimensions,
        line={"color": [1 if t["stopped_early"] else 0 for t in trials], "colorscale": [[0, PALETTE[0]], [1, "crimson"]]}))
    figure.update_layout(**LAYOUT, height=360, title="configurations (red: stopped by a rule)")
    return figure
