"""The trials page compares the search methods of tune blocks that search the same problem, as
`benchrun report search` does: one best-feasible-objective curve per block, its points those
of the search_curve view (view_fixtures' file: a grid and a random search of one problem)."""
from __future__ import annotations

import json
import re

import duckdb
from starlette.testclient import TestClient
from view_fixtures import make_results

from benchrun.view.app import create_app


def figure(page: str, name: str) -> dict:
    return json.loads(re.search(rf'<script type="application/json" id="{name}-data">(.*?)</script>', page, re.S).group(1))


def test_one_curve_per_search_method_with_the_points_sql_gives(tmp_path):
    _, db = make_results(tmp_path, searches=True)
    page = TestClient(create_app(str(db)), base_url="http://127.0.0.1").get("/trials")
    assert page.status_code == 200 and 'id="searches"' in page.text
    curves = {trace["name"].split(":")[0]: trace for trace in figure(page.text, "search-1")["data"]}
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute("SELECT method, list(trial ORDER BY trial), list(best_so_far ORDER BY trial) FROM search_curve "
                               "WHERE best_so_far IS NOT NULL GROUP BY method").fetchall()
    assert sorted(curves) == ["grid", "random"]
    assert {method: (curves[method]["x"], curves[method]["y"]) for method in curves} == {m: (x, y) for m, x, y in expected}
    # the comparison table: one row per block, each with its trial count
    table = re.search(r'<table class="compact search"[^>]*>(.*?)</table>', page.text, re.S).group(1)
    assert len(re.findall(r"<tr>", table)) == 1 + 2 and "tiny_random" in table


def test_no_comparison_when_each_problem_has_one_search(tmp_path):
    _, db = make_results(tmp_path)
    page = TestClient(create_app(str(db)), base_url="http://127.0.0.1").get("/trials")
    assert page.status_code == 200 and 'id="searches"' not in page.text and 'class="stopped"' in page.text


def test_a_file_the_search_report_cannot_read_still_shows_its_trials(tmp_path):
    """A file without a table the report reads (`proposals`, as an older benchrun wrote it)."""
    _, db = make_results(tmp_path, searches=True)
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE proposals")
    page = TestClient(create_app(str(db)), base_url="http://127.0.0.1").get("/trials")
    assert page.status_code == 200 and "not compared: report search" in page.text and "proposals" in page.text
    assert 'data-block="tiny_random"' in page.text
