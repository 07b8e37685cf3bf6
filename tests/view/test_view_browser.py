"""`benchrun view` in a real browser on a real run.

A benchmark block (oracle and identity on a corpus task, judged in the Docker sandbox)
and a tune block whose stop rule fires for the configurations with a small learning rate
(synthetic data) run into one file; `benchrun view` serves it from a subprocess on a free
loopback port; headless Chromium (Debian's, driven by Playwright) opens the overview and
checks its pass@k figures against SQL on the same file, opens a failed sample and finds
its check output and the prompt as sent, opens a stopped trial and finds the stop step, in
the page and on the drawn chart, and finds one curve per search method (a grid and a random
search of the same problem) on the trials page. Every request the browser makes must go to the app (no CDN): others are
aborted and fail the test. A screenshot of each page is saved under tmp_path, and copied
to $BENCHRUN_ARTIFACTS/view (test-artifacts/view for BENCHRUN_ARTIFACTS=1) when set.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from browser_fixtures import chromium, open_page, screenshot, serve_view, wait_for_figures

from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec

ROOT = Path(__file__).parents[2]
TASK = ROOT / "tasks" / "translation" / "mlflow-wandb-iris-params"
SPEC = f"""
benchmark "smoke" {{
  tasks       ["{TASK}"]
  models      [oracle, identity]
  samples     1
  score       [pass@1]
  sandbox     docker(timeout = 180s, memory = 1GiB)
  concurrency 2
}}

tune "tiny" {{
  datasets    [synthetic(rows = 2000, features = 8, task = regression)]
  algorithms  [linear_regression]
  grid {{
    batch_size    = [32, 256]
    learning_rate = [0.001, 0.1]
  }}
  epochs      1
  evaluate    every 5 steps
  stop        when cpu_time_s >= 0 and val_loss > 1000
  executor    local(max_concurrent = 1)
  seed        1
}}

tune "tiny_random" {{
  datasets    [synthetic(rows = 2000, features = 8, task = regression)]
  algorithms  [linear_regression]
  random(samples = 2) {{
    batch_size    = [32, 256]
    learning_rate = [0.05, 0.1]
  }}
  epochs      1
  evaluate    every 5 steps
  stop        when cpu_time_s >= 0 and val_loss > 1000
  executor    local(max_concurrent = 1)
  seed        1
}}
"""

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def sql(db: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def results(tmp_path_factory, docker_client):  # the run judges in the Docker sandbox
    folder = tmp_path_factory.mktemp("viewrun")
    spec, db = folder / "view.bench", folder / "view.duckdb"
    spec.write_text(SPEC)
    summary = run_plan(build_plan(load_spec(spec)), db)
    assert summary.status == "finished", summary.error
    assert sql(db, "SELECT count(*) FROM trial_summary WHERE stopped_early") != [(0,)], "the stop rule should fire"
    return spec, db


@pytest.fixture(scope="module")
def server(results):
    """`benchrun view` in a subprocess on a free port; yields its address."""
    with serve_view(results[1]) as address:
        yield address


@pytest.fixture
def page(browser, server):
    with open_page(browser, server) as opened:
        yield opened


def test_the_overview_shows_the_figures_sql_gives(page, server, results, tmp_path):
    _, db = results
    page.goto(server)
    wait_for_figures(page)
    shown = {}
    for row in page.locator("table.passk tbody tr").all():
        key = (row.get_attribute("data-functionality"), row.get_attribute("data-model"), row.get_attribute("data-strategy"))
        shown[key] = float(row.locator("td.passat[data-k='1']").inner_text())
    expected = {(f, m, s): round(p, 3) for f, m, s, p in
                sql(db, "SELECT functionality, model, strategy, pass_at FROM pass_at_k_by_functionality WHERE k = 1")}
    assert shown == expected and expected == {("translation", "oracle", "zero_shot"): 1.0,
                                              ("translation", "identity", "zero_shot"): 0.0}
    # the chart draws one bar per model and strategy (Plotly's own SVG, in the browser)
    assert page.locator("#passk-chart-1 .trace.bars").count() == 2
    tunes = page.locator("#tunes tr").nth(1).locator("td").all_inner_texts()
    trials, stopped = sql(db, "SELECT count(*), count(*) FILTER (stopped_early) FROM trial_summary WHERE block = 'tiny'")[0]
    assert tunes[0] == "tiny" and (int(tunes[2]), int(tunes[3])) == (trials, stopped)
    screenshot(page, tmp_path, "overview")


def test_a_failed_sample_shows_its_check_output(page, server, results, tmp_path):
    _, db = results
    page.goto(server + "samples")
    page.select_option("select[name=passed]", "false")
    page.click("button[type=submit]")
    page.wait_for_url("**/samples?**passed=false**")
    links = page.locator("#samples a")
    assert links.count() == sql(db, "SELECT count(*) FROM current_samples WHERE NOT passed")[0][0] == 1
    links.first.click()
    page.wait_for_selector("#stderr")
    unit_id = page.url.rsplit("/", 1)[1]
    stderr, failure = sql(db, f"SELECT stderr_tail, failure FROM samples WHERE unit_id = '{unit_id}'")[0]
    assert "CHECK FAILED" in stderr
    assert page.locator("#stderr").inner_text().strip() == stderr.strip()
    assert page.locator("#failure").inner_text() == failure
    assert "exit code" in page.locator("#sandbox").inner_text()
    # the prompt as sent, message by message
    (messages,) = sql(db, f"SELECT p.messages FROM samples s JOIN prompts p USING (prompt_hash) WHERE s.unit_id = '{unit_id}'")[0]
    sent = json.loads(messages)
    assert page.locator("#prompt .role").all_inner_texts() == [m["role"] for m in sent]
    assert [t.strip() for t in page.locator("#prompt .message").all_inner_texts()] == [m["content"].strip() for m in sent]
    screenshot(page, tmp_path, "sample-failed")
    # the oracle's sample: its program as a diff against the task's input program
    (oracle,) = sql(db, "SELECT unit_id FROM current_samples WHERE model = 'oracle'")[0]
    page.goto(server + f"samples/{oracle}")
    assert page.locator("#diff .add").count() > 0 and page.locator("#diff .del").count() > 0
    screenshot(page, tmp_path, "sample-diff")


def test_a_stopped_trial_shows_the_stop_step(page, server, results, tmp_path):
    _, db = results
    page.goto(server + "trials")
    page.locator("tr.stopped a").first.click()
    wait_for_figures(page)
    unit_id = page.url.rsplit("/", 1)[1]
    (step,) = sql(db, f"SELECT stopped_at_step FROM trial_summary WHERE unit_id = '{unit_id}' AND stopped_early")[0]
    assert page.locator("#stop-step").inner_text() == str(step)
    # the line Plotly drew at that step, and its label
    drawn = page.evaluate("() => document.getElementById('curves').layout.shapes.map(s => s.x0)")
    assert drawn and set(drawn) == {step}
    labels = page.locator("#curves .annotation-text").all_text_contents()  # the panels' titles, and the stop's label
    assert any(label.startswith(f"stopped at step {step}: ") for label in labels), labels
    # one panel each: train_loss, val_loss, step_time_ms, cpu_step_ms, cpu_pct, memory_mb
    assert page.locator("#curves g.cartesianlayer > g.subplot").count() == 6
    # every trial of the block a point against peak memory, and a ring round this one
    trials = sql(db, f"SELECT count(*) FROM trial_summary WHERE peak_memory_mb IS NOT NULL AND block = "
                     f"(SELECT block FROM trial_summary WHERE unit_id = '{unit_id}')")[0][0]
    assert page.locator("#scatter .scatterlayer .point").count() == trials + 1
    screenshot(page, tmp_path, "trial-stopped")


def test_the_trials_page_draws_one_curve_per_search_method(page, server, results, tmp_path):
    _, db = results
    page.goto(server + "trials")
    wait_for_figures(page)
    methods = sql(db, "SELECT DISTINCT method FROM search_curve WHERE best_so_far IS NOT NULL ORDER BY 1")
    assert [m for (m,) in methods] == ["grid", "random"]
    assert page.locator("#search-1 .scatterlayer .trace").count() == len(methods)
    legend = page.locator("#search-1 .legend .legendtext").all_text_contents()
    assert sorted(name.split(":")[0] for name in legend) == ["grid", "random"]
    assert page.locator("table.search tr").count() == 1 + 2  # a row per block
    page.locator("#searches").screenshot(path=str(tmp_path / "searches.png"))
    screenshot(page, tmp_path, "trials-searches")
