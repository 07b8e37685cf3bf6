"""Error bars in a real browser, with no Docker: `benchrun view` of view_fixtures' file (its
translation cells have two tasks, hence a 95 % interval) and `report paper --html` of the
same file, opened in headless Chromium. The figure a page carries has Plotly's error_y with
the interval SQL gives, and Plotly draws it: an SVG error bar path per bar that has an
interval, in the figure drawn in the page."""
from __future__ import annotations

import json

import duckdb
import pytest
from browser_fixtures import chromium, open_page, screenshot, serve_view, wait_for_figures
from click.testing import CliRunner
from view_fixtures import make_results

from benchrun.cli.report import report

pytestmark = pytest.mark.slow

# Bars of the first chart with an interval of some width, and with any interval (k = 1).
WITH_WIDTH = """SELECT count(*) FILTER (pass_at_high > pass_at_low), count(pass_at_low) FROM pass_at_k_by_functionality
WHERE k = 1 AND pass_at IS NOT NULL"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return make_results(tmp_path_factory.mktemp("errorbars"), strategies="zero_shot, tuned")


def sql(db, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def drawn_error_bars(page, selector: str) -> dict:
    """What Plotly drew in the figure `selector`: its traces' error_y data, and the SVG
    paths of the error bars with some height."""
    return page.evaluate("""(selector) => {
        const div = document.querySelector(selector);
        const paths = [...div.querySelectorAll('g.errorbar path.yerror')];
        return {data: div.data.map(t => t.error_y || null),
                paths: paths.length,
                tall: paths.filter(p => p.getBBox().height > 2).length};
    }""", selector)


def test_the_view_draws_each_cells_interval_as_an_error_bar(browser, results, tmp_path):
    _, db = results
    with serve_view(db) as server, open_page(browser, server) as page:
        page.goto(server)
        wait_for_figures(page)
        drawn = drawn_error_bars(page, "#passk-chart-1")
        wide, any_interval = sql(db, WITH_WIDTH)[0]
        assert wide > 0
        assert all(error and error["type"] == "data" and not error["symmetric"] for error in drawn["data"])
        assert drawn["paths"] >= any_interval and drawn["tall"] >= wide
        # the table beside it prints the same intervals, and the level of each row
        levels = {row.get_attribute("data-level") for row in page.locator("table.passk tbody tr").all()}
        assert levels == {"brief", "detailed"}
        (low, high), = sql(db, "SELECT pass_at_low, pass_at_high FROM pass_at_k_by_functionality WHERE k = 1 "
                               "AND pass_at_high > pass_at_low LIMIT 1")
        assert f"[{low:.2f}, {high:.2f}]" in page.locator("table.passk td.ci").all_inner_texts()
        screenshot(page, tmp_path, "overview-error-bars")


def test_the_html_report_draws_error_bars(browser, results, tmp_path):
    spec, db = results
    out = tmp_path / "paper.html"
    result = CliRunner().invoke(report, ["paper", str(spec), "--db", str(db), "--html", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with open_page(browser, out.as_uri()) as page:
        page.goto(out.as_uri())
        wait_for_figures(page)
        first = json.loads(page.locator("script[type='application/json']").first.text_content())
        assert all("error_y" in trace for trace in first["data"])
        drawn = drawn_error_bars(page, "[data-figure]")
        wide, _ = sql(db, WITH_WIDTH)[0]
        assert drawn["tall"] >= wide > 0
        screenshot(page, tmp_path, "report-error-bars")
