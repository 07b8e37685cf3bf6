"""`benchrun report NAME --html`: one file that opens offline, whose Plotly charts draw every
model and strategy as a series of its own, with the figures SQL gives (the results file is
view_fixtures': a real plan of 2 functionalities x 2 models x 2 strategies, one cell incomplete,
and two tune blocks searching one problem)."""
from __future__ import annotations

import json
import re

import duckdb
import pytest
from click.testing import CliRunner
from view_fixtures import make_results

from benchrun.cli.report import report
from benchrun.reports.charts import chart_figure
from benchrun.reports.html import render_html
from benchrun.reports.named import Statement, built_in_dirs, list_reports


def figures(page: str) -> dict[str, dict]:
    """The Plotly figures a page carries, by id."""
    found = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    return {name: json.loads(text) for name, text in found}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return make_results(tmp_path_factory.mktemp("report"), strategies="zero_shot, tuned", searches=True)


def html_report(name: str, results, tmp_path) -> str:
    spec, db = results
    out = tmp_path / f"{name}.html"
    result = CliRunner().invoke(report, [name, str(spec), "--db", str(db), "--html", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_text()


def panels(figure: dict) -> dict[str, tuple[str, ...]]:
    """x axis of each panel -> its facet values, read from the subplot titles ("level = brief, k = 1")."""
    titles = [tuple(part.split(" = ")[1] for part in a["text"].split(", ")) for a in figure["layout"]["annotations"]]
    return {("x" if i == 0 else f"x{i + 1}"): title for i, title in enumerate(titles)}


def test_the_paper_chart_draws_one_bar_per_model_strategy_and_functionality_with_its_interval(results, tmp_path):
    page = html_report("paper", results, tmp_path)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page) and "http" not in "".join(re.findall(r"<(?:link|img)[^>]*>", page))
    assert len(re.findall(r"plotly\.js v\d", page)) == 1 and "chart skipped" not in page
    by_functionality = next(iter(figures(page).values()))  # the first table's chart
    with duckdb.connect(str(results[1]), read_only=True) as con:
        expected = con.execute("SELECT level, k, model, strategy, functionality, round(pass_at, 3), round(pass_at_low, 3), "
                               "round(pass_at_high, 3) FROM pass_at_k_by_functionality WHERE pass_at IS NOT NULL").fetchall()
        functionalities = sorted(f for (f,) in con.execute("SELECT DISTINCT functionality FROM pass_at_k_by_functionality").fetchall())
        (incomplete,) = con.execute("SELECT DISTINCT functionality FROM pass_at_k_by_functionality WHERE NOT complete").fetchone()
    # one panel per level and k (scores [1, 2]), in each one trace per (model, strategy), one bar per
    # functionality, with its 95 % interval as an error bar (none where the cell has no interval)
    axes = panels(by_functionality)
    assert sorted(axes.values()) == [(level, str(k)) for level in ("brief", "detailed") for k in (1, 2)]
    drawn, bars = {}, {}
    for trace in by_functionality["data"]:
        assert trace["type"] == "bar"
        model, strategy = trace["name"].split(" / ")
        error = trace["error_y"]
        for functionality, value, above, below in zip(trace["x"], trace["y"], error["array"], error["arrayminus"], strict=True):
            level, k = axes[trace["xaxis"]]
            key = (level, int(k), model, strategy, functionality)
            assert key not in drawn, f"two bars at {key}"
            drawn[key] = value
            bars[key] = None if above is None else (round(value - below, 3), round(value + above, 3))
    assert drawn == {(lv, k, m, s, f): p for lv, k, m, s, f, p, _, _ in expected}
    assert bars == {(lv, k, m, s, f): None if low is None else (low, high) for lv, k, m, s, f, _, low, high in expected}
    assert any(bar and bar[1] > bar[0] for bar in bars.values())  # identity's translation cells under `tuned`
    series = {(t["name"], t["xaxis"]) for t in by_functionality["data"]}
    assert len(series) == len(by_functionality["data"]) == 2 * 2 * 4  # (2 models x 2 strategies) per level and k
    # the incomplete cell (oracle, zero_shot, translation, brief) has no bar; every other trace one bar per functionality
    short = [(t["name"], axes[t["xaxis"]][0], t["x"]) for t in by_functionality["data"] if len(t["x"]) < len(functionalities)]
    assert short == [("oracle / zero_shot", "brief", [f for f in functionalities if f != incomplete])] * 2
    assert by_functionality["layout"]["barmode"] == "group"
    # the text table prints the interval beside each cell
    text = CliRunner().invoke(report, ["paper", str(results[0]), "--db", str(results[1])], catch_exceptions=False).output
    assert "95% CI" in text and "[0.00, 1.00]" in text


def test_every_built_in_report_draws_its_charts(results, tmp_path):
    """No chart line of a report that comes with benchrun names a missing column or draws bars on bars."""
    for found in list_reports(built_in_dirs()):
        page = html_report(found.name, results, tmp_path)
        assert "chart skipped" not in page, found.name


def test_the_cost_and_failures_charts_keep_strategies_apart(results, tmp_path):
    for name in ("cost", "failures"):
        page = html_report(name, results, tmp_path)
        assert "chart skipped" not in page
        (figure,) = figures(page).values()
        names = [(t["name"], t["xaxis"]) for t in figure["data"]]  # a trace per series in each level's panel
        assert len(names) == len(set(names)) >= 2 and len({t["xaxis"] for t in figure["data"]}) == 2


def test_bars_that_would_overlap_are_refused_and_shown_as_a_note():
    chart = {"kind": "bar", "x": "functionality", "y": "pass_at", "series": "model"}
    rows = [("f", "m", "zero_shot", 0.5), ("f", "m", "tuned", 1.0)]
    columns = ["functionality", "model", "strategy", "pass_at"]
    with pytest.raises(ValueError, match="two rows draw the bar at functionality=f of series 'm'"):
        chart_figure(columns, rows, chart)
    page = render_html("t", "", [(Statement("q", "overlap", chart), columns, rows)])
    assert "chart skipped: two rows draw the bar" in page and "<script>" not in page  # no figure: no plotly.js
    grouped = chart_figure(columns, rows, {**chart, "series": "model,strategy"})
    assert [(t.name, list(t.x), list(t.y)) for t in grouped.data] == [("m / zero_shot", ["f"], [0.5]), ("m / tuned", ["f"], [1.0])]


def test_a_chart_naming_a_missing_column_or_an_unknown_option_is_a_clear_error(tmp_path):
    from benchrun.reports.named import ReportError, parse_report

    with pytest.raises(ValueError, match="chart column 'nope' is not in the result"):
        chart_figure(["a", "b"], [(1, 2)], {"kind": "bar", "x": "a", "y": "b", "facet": "nope"})
    bad = tmp_path / "bad.sql"
    bad.write_text("-- table: t\n-- chart: bar x=a y=b colour=red\nSELECT 1 AS a, 2 AS b;\n")
    with pytest.raises(ReportError, match=r"bad\.sql:2: unknown chart option 'colour'"):
        parse_report(bad)


def test_text_from_the_results_cannot_close_the_figure_script():
    rows = [("</script><script>alert(1)</script>", "<b>m</b>", 1.0)]
    page = render_html("t", "", [(Statement("q", "t", {"kind": "bar", "x": "f", "y": "v", "series": "m"}), ["f", "m", "v"], rows)])
    (figure,) = figures(page).values()
    assert figure["data"][0]["name"] == "&lt;b&gt;m&lt;/b&gt;" and "<script>alert" not in page
