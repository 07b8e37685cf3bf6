"""`benchrun view`'s pages through Starlette's TestClient (no browser, no server): the
overview's figures against SQL, the samples' filters, a hostile completion shown as text,
a sample's diff against its task's input program, a trial's stop step, and 404s."""
from __future__ import annotations

import json
import re

import duckdb
import pytest
from starlette.testclient import TestClient
from view_fixtures import HOSTILE, MEASURE, STOP_STEP, make_results

from benchrun.view import create_app
from benchrun.view.charts import figure_json, passk_figure


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return make_results(tmp_path_factory.mktemp("view"))


@pytest.fixture(scope="module")
def client(results):
    _, db = results
    return TestClient(create_app(str(db)), base_url="http://127.0.0.1")


def sql(db, query, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def sample_ids(html: str) -> set[str]:
    return set(re.findall(r'<tr data-unit="(c-[0-9a-f]+)">', html))


def test_the_overview_shows_pass_at_k_as_sql_gives_it_and_marks_incomplete_cells(client, results):
    _, db = results
    page = client.get("/")
    assert page.status_code == 200
    cells = re.findall(r'data-functionality="([^"]+)" data-model="([^"]+)" data-strategy="([^"]+)" data-level="([^"]+)">(.*?)</tr>',
                       page.text, re.S)
    shown, intervals = {}, {}
    for functionality, model, strategy, level, body in cells:
        for k, value in re.findall(r'class="n passat" data-k="(\d+)">(.*?)</td>', body, re.S):
            shown[(functionality, model, strategy, level, int(k))] = None if "incomplete" in value else float(value)
        for k, value in re.findall(r'class="n ci" data-k="(\d+)">(.*?)</td>', body, re.S):
            intervals[(functionality, model, strategy, level, int(k))] = value
    found = sql(db, "SELECT functionality, model, strategy, level, k, pass_at, pass_at_low, pass_at_high FROM pass_at_k_by_functionality")
    assert shown == {(f, m, s, lv, k): None if p is None else round(p, 3) for f, m, s, lv, k, p, _, _ in found}
    assert intervals == {(f, m, s, lv, k): "" if low is None else f"[{low:.2f}, {high:.2f}]" for f, m, s, lv, k, _, low, high in found}
    assert None in shown.values()  # the oracle's translation cell lacks a sample: marked, no figure
    assert {lv for _, _, _, lv, _ in shown} == {"brief", "detailed"}
    # an interval where a functionality has two tasks (translation) and its cell is complete; none of one task
    assert {key[0] for key, value in intervals.items() if value} == {"translation"}
    # the chart: a panel per level, each bar with its interval as an error bar (Plotly's error_y)
    chart = json.loads(re.search(r'<script type="application/json" id="passk-chart-1-data">(.*?)</script>', page.text, re.S).group(1))
    assert {t["xaxis"] for t in chart["data"]} == {"x", "x2"}
    drawn = {(t["name"], t["xaxis"], x): (y, above, below) for t in chart["data"]
             for x, y, above, below in zip(t["x"], t["y"], t["error_y"]["array"], t["error_y"]["arrayminus"], strict=True)}
    axis = {"brief": "x", "detailed": "x2"}
    expected = {(f"{m} / {s}", axis[lv], f): (p, None if low is None else high - p, None if low is None else p - low)
                for f, m, s, lv, k, p, low, high in found if k == 1 and p is not None}
    assert drawn.keys() == expected.keys()
    for key, (y, above, below) in drawn.items():
        assert y == pytest.approx(expected[key][0]) and (above is None) == (expected[key][1] is None), key
        if above is not None:
            assert (above, below) == pytest.approx(expected[key][1:]), key
    assert 'id="tunes"' in page.text and ">tiny</a>" in page.text
    tune = re.search(r'id="tunes".*?</table>', page.text, re.S).group(0)
    assert re.findall(r'<td class="n">([^<]+)</td>', tune) == ["2", "1", "2.5"]  # trials, stopped, best value
    costs = re.search(r'id="costs".*?</table>', page.text, re.S).group(0)
    shown = {tuple(re.findall(r"<td[^>]*>([^<]*)</td>", row)[i] for i in (1, 3, 6, 8))
             for row in re.findall(r"<tr><td>.*?</tr>", costs, re.S)}
    assert shown == {(m, lv, str(t), f"{c:.4g}") for m, lv, t, c in
                     sql(db, "SELECT model, level, sum(tokens_in), sum(cost_usd) FROM current_samples GROUP BY model, level")}


def test_the_samples_list_filters_by_each_field(client, results):
    _, db = results
    everything = sample_ids(client.get("/samples").text)
    assert everything == {r[0] for r in sql(db, "SELECT unit_id FROM samples")}
    for query, where, params in [
        ("model=oracle", "model = ?", ["oracle"]),
        ("passed=false", "NOT passed", []),
        ("passed=true&task=inlining/onnx-logreg-iris", "passed AND task = ?", ["inlining/onnx-logreg-iris"]),
        ("failure=check_failed", "failure = ?", ["check_failed"]),
        ("strategy=zero_shot&block=smoke", "strategy = ? AND block = ?", ["zero_shot", "smoke"]),
    ]:
        shown = sample_ids(client.get(f"/samples?{query}").text)
        assert shown == {r[0] for r in sql(db, f"SELECT unit_id FROM samples WHERE {where}", params)}, query
        assert shown
    assert sample_ids(client.get("/samples?model=nobody").text) == set()
    detailed = sample_ids(client.get("/samples?level=detailed").text)
    assert detailed and detailed == {r[0] for r in sql(db, "SELECT unit_id FROM current_samples WHERE level = 'detailed'")}


def test_a_hostile_completion_is_shown_as_text(client, results):
    _, db = results
    (unit_id,) = sql(db, "SELECT unit_id FROM samples WHERE code = ?", [HOSTILE])[0]
    page = client.get(f"/samples/{unit_id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "onerror=alert(2)>" not in page.text
    assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]  # and no inline script could run anyway
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/plotly.min.js" defer>',
                                                      '<script src="/static/figures.js" defer>',
                                                      '<script src="/static/view.js" defer>']


def test_a_figure_cannot_close_its_script_element():
    benchmark = {"block": "b</script><script>alert(1)</script>", "ks": [1],
                 "cells": [{"functionality": "f</script>", "model": "<b>m</b>", "strategy": "s", "level": "<i>brief",
                            "pass": {1: 0.5}, "interval": {1: (0.25, 0.75)}}]}
    text = figure_json(passk_figure(benchmark, 1))
    assert "<" not in text and ">" not in text
    assert "alert(1)" in json.loads(text)["layout"]["title"]["text"]


def test_a_failed_sample_shows_its_check_output_and_diff(client, results):
    _, db = results
    (unit_id,) = sql(db, "SELECT unit_id FROM samples WHERE failure = 'check_failed' LIMIT 1")[0]
    page = client.get(f"/samples/{unit_id}").text
    assert "CHECK FAILED: the output file was not written" in page
    assert "accuracy: 0.9667" in page and "exit code 1" in page
    assert "ab" * 32 in page  # the prompt's hash: the prompt itself is not stored
    (oracle,) = sql(db, "SELECT unit_id FROM samples WHERE model = 'oracle' LIMIT 1")[0]
    page = client.get(f"/samples/{oracle}").text
    assert 'id="diff"' in page and '<span class="add">+' in page and '<span class="head">--- input/' in page


def test_a_sample_shows_its_graded_measures_and_marks_those_of_a_failed_check(client, results):
    _, db = results
    found = sql(db, "SELECT unit_id, passed, sample FROM current_samples WHERE functionality = 'model_optimisation' "
                    "ORDER BY passed DESC, sample DESC")
    (passed, _, index), (failed, _, _) = found[0], found[-1]
    page = client.get(f"/samples/{passed}").text
    table = re.search(r'<table class="facts" id="measures">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", table) == ["latency_ratio", f"{MEASURE + index:.4g}", "ratio"]
    assert "The check failed" not in page
    assert "The check failed: these were measured before it did" in client.get(f"/samples/{failed}").text
    (other,) = sql(db, "SELECT unit_id FROM samples WHERE functionality = 'translation' LIMIT 1")[0]
    assert 'id="measures"' not in client.get(f"/samples/{other}").text  # no measures, no section


def test_a_stopped_trial_shows_the_step_and_marks_it_on_its_curves(client, results):
    _, db = results
    (unit_id,) = sql(db, "SELECT unit_id FROM trial_summary WHERE stopped_early")[0]
    page = client.get(f"/trials/{unit_id}").text
    assert f'stopped at step <span id="stop-step">{STOP_STEP}</span>' in page
    curves = json.loads(re.search(r'<script type="application/json" id="curves-data">(.*?)</script>', page, re.S).group(1))
    assert {shape["x0"] for shape in curves["layout"]["shapes"]} == {STOP_STEP}
    assert {trace["name"] for trace in curves["data"]} >= {"train_loss", "val_loss", "step_time_ms", "cpu_step_ms", "cpu_pct",
                                                               "memory_mb"}
    listing = client.get("/trials?block=tiny").text
    assert listing.count('<a href="/trials/t-') == 2 and 'class="stopped"' in listing


def test_unknown_pages_are_404(client):
    assert client.get("/samples/c-0000").status_code == 404
    assert "no sample of unit c-0000" in client.get("/samples/c-0000").text
    assert client.get("/trials/t-0000").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/secret.js").status_code == 404


def test_plotly_is_served_by_the_app_and_other_hosts_are_refused(client):
    script = client.get("/static/plotly.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "plotly" in script.text[:2000].lower()
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding


def test_a_spec_plan_and_a_run_plan_scope_the_pages(results):
    spec, db = results
    from benchrun.engine.plan import build_plan
    from benchrun.grammar import load_spec

    units = build_plan(load_spec(spec)).units
    by_spec = TestClient(create_app(str(db), units=units, spec_path=str(spec)), base_url="http://127.0.0.1")
    assert "the plan of" in by_spec.get("/").text
    assert sample_ids(by_spec.get("/samples").text) == {r[0] for r in sql(db, "SELECT unit_id FROM samples")}
    by_run = TestClient(create_app(str(db), run_id="r-20250101-000000-test"), base_url="http://127.0.0.1")
    assert by_run.get("/trials").status_code == 200


def test_the_command_refuses_a_port_in_use_and_an_unknown_run(results):
    import socket

    from click.testing import CliRunner

    from benchrun.cli.view import view

    _, db = results
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(view, ["--db", str(db), "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}: it is in use" in result.output
    result = CliRunner().invoke(view, ["--db", str(db), "--run", "r-nope"])
    assert result.exit_code == 1 and "no run 'r-nope'" in result.output
    result = CliRunner().invoke(view, ["--db", str(db.parent / "missing.duckdb")])
    assert result.exit_code == 1 and "no results file" in result.output
