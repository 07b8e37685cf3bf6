"""`benchrun report search` on a real run: a grid, a random and an Optuna block tuning the same
problem (529_pollen, linear regression), with a rule naming a system metric that stops some
trials; the report's figures against the same figures computed here from the raw tables."""
from __future__ import annotations

import json
import re
from datetime import datetime
from itertools import accumulate
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from tuning_fixtures import PMLB_CACHE

from benchrun.cli.report import report
from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec
from benchrun.reports.named import find_report, report_dirs, run_report

# `cpu_time_s >= 0` always holds: the rule fires exactly when val_loss > 4 at an evaluation,
# and its text names a system metric, so those trials count as having broken a constraint.
BLOCK = """
tune "%(name)s" {
  datasets    [pmlb("529_pollen")]
  algorithms  [linear_regression]
  %(search)s {
    batch_size    = [64, 256]
    learning_rate = %(rates)s
  }
  epochs      1
  evaluate    every 5 steps
  stop        when cpu_time_s >= 0 and val_loss > 4
  executor    local(max_concurrent = 2)
  seed        1
}
"""
SPEC = "".join(BLOCK % block for block in (
    {"name": "grid", "search": "grid", "rates": "[0.001, 0.01, 0.1]"},
    {"name": "random", "search": "random(samples = 6)", "rates": "loguniform(0.001, 0.1)"},
    {"name": "optuna", "search": "optuna(samples = 6, sampler = tpe)", "rates": "loguniform(0.001, 0.1)"},
))
SYSTEM = re.compile(r"\b(memory_mb|step_time_ms|cpu_pct|cpu_time_s)\b")


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    if not Path(PMLB_CACHE, "529_pollen", "529_pollen.tsv.gz").exists():
        pytest.skip(f"the shared PMLB cache is not at {PMLB_CACHE} (set BENCHRUN_PMLB_CACHE)")
    folder = tmp_path_factory.mktemp("search")
    spec, db = folder / "search.bench", folder / "search.duckdb"
    spec.write_text(SPEC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BENCHRUN_PMLB_CACHE", PMLB_CACHE)
        summary = run_plan(build_plan(load_spec(spec)), db)
    assert summary.status == "finished" and summary.done == 18, summary.error
    return spec, db


def trials(db) -> dict[str, list[dict]]:
    """Per block, its trials in search order, from the raw units and metrics tables: an
    adaptive search's trial index, random's draw, a grid's finishing order."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT run_id, unit_id, block, params, summary, finished FROM units WHERE status = 'done'").fetchall()
        steps = dict(con.execute("SELECT unit_id, avg(value) FROM metrics WHERE name = 'step_time_ms' GROUP BY unit_id").fetchall())
    out: dict[str, list[dict]] = {}
    for run_id, unit_id, block, params, summary, finished in rows:
        params, summary = json.loads(params), json.loads(summary)
        index = params["config"].get("optuna_trial", params.get("draw"))
        out.setdefault(block, []).append({
            "run_id": run_id, "unit_id": unit_id, "order": (index is None, index or 0, finished, unit_id),
            "best": summary["best_value"], "cpu_s": summary["cpu_time_s"], "peak_mb": summary["peak_memory_mb"],
            "step_ms": steps[unit_id], "feasible": not SYSTEM.search(summary["stop_reason"]),
        })
    return {block: sorted(found, key=lambda t: t["order"]) for block, found in out.items()}


def table(db, title: str, within: float | None = None) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        if within is not None:
            con.execute(f"SET VARIABLE search_within = {within}")
        results = run_report(con, find_report("search", report_dirs()))
    (found,) = [[dict(zip(columns, row)) for row in rows] for statement, columns, rows in results if statement.title == title]
    return found


def best_so_far(block: list[dict]) -> list[float | None]:
    out, best = [], None
    for t in block:
        best = t["best"] if t["feasible"] and (best is None or t["best"] < best) else best
        out.append(best)
    return out


def reach(block: list[dict], reference: float, within: float) -> tuple[int | None, float | None]:
    """The first trial (from 1) whose best feasible objective so far is within `within` of
    the reference (min mode), and the CPU seconds of trials 1..n."""
    best, cpu = None, 0.0
    for n, t in enumerate(block, 1):
        cpu += t["cpu_s"]
        if t["feasible"]:
            best = t["best"] if best is None else min(best, t["best"])
        if best is not None and best <= reference + within * abs(reference):
            return n, cpu
    return None, None


@pytest.mark.parametrize("within", [None, 0.01, 0.2])
def test_each_search_against_the_grids_best(searched, within):
    _, db = searched
    expected = trials(db)
    feasible = [t["feasible"] for block in expected.values() for t in block]
    assert any(feasible) and not all(feasible), "the spec should stop some trials on its rule, not all"
    reference = min(t["best"] for t in expected["grid"] if t["feasible"])
    rows = {r["block"]: r for r in table(db, "search methods on the same problem", within)}
    assert set(rows) == {"grid", "random", "optuna"}
    for name, block in expected.items():
        row = rows[name]
        assert (row["method"], row["dataset"], row["algorithm"], row["mode"]) == (name, "529_pollen", "linear_regression", "min")
        assert row["trials"] == len(block) == 6
        assert row["best_feasible"] == pytest.approx(min(t["best"] for t in block if t["feasible"]))
        assert row["broke_constraint"] == sum(not t["feasible"] for t in block)
        assert row["reference"] == pytest.approx(reference) and row["reference_of"] == "grid"
        assert row["within"] == (0.05 if within is None else within)
        n, cpu = reach(block, reference, row["within"])
        assert row["trials_to_reach"] == n
        assert row["cpu_s_to_reach"] == (None if cpu is None else pytest.approx(cpu))
        assert row["cpu_s"] == pytest.approx(sum(t["cpu_s"] for t in block))
        # No llm search here: nothing was proposed.
        assert (row["proposals"], row["invalid_proposals"], row["tokens_in"]) == (None, None, None)
    assert rows["grid"]["trials_to_reach"] is not None  # the grid reaches its own best


def test_the_curve_is_the_best_feasible_objective_so_far(searched):
    _, db = searched
    expected = trials(db)
    curve = table(db, "best feasible objective after n trials")
    for name, block in expected.items():
        mine = [r for r in curve if r["block"] == name]
        assert [r["trial"] for r in mine] == list(range(1, 7))
        assert [r["best_value"] for r in mine] == pytest.approx([t["best"] for t in block])
        so_far = best_so_far(block)
        got = [r["best_so_far"] for r in mine]
        assert [g is None for g in got] == [b is None for b in so_far]
        assert [g for g in got if g is not None] == pytest.approx([b for b in so_far if b is not None])
        assert [r["cpu_s"] for r in mine] == pytest.approx(list(accumulate(t["cpu_s"] for t in block)))


def test_proposals_give_invalid_counts_tokens_and_cost_prediction_error(searched, tmp_path):
    """Rows as an llm search writes them, on the Optuna block's trials: two rounds of three."""
    _, db = searched
    block = trials(db)["optuna"]
    copy = tmp_path / "with-proposals.duckdb"
    copy.write_bytes(db.read_bytes())
    valid = [True, False, True, True, True, False]
    reasons = [None, "malformed", None, None, None, "outside_space"]
    predicted_ms = [1.0, None, 3.0, 0.5, None, 2.0]
    predicted_mb = [0.5, None, None, 0.1, 0.2, None]
    now = datetime.now()
    with duckdb.connect(str(copy)) as con:
        for k, t in enumerate(block):
            first = k % 3 == 0  # tokens are on slot 0 of a round only
            con.execute(
                "INSERT INTO proposals VALUES (?, ?, 'optuna', 'study', ?, ?, 'h', 'answer', '{}', '{}', ?, ?, ?, ?, ?, ?, 1.0, ?)",
                [t["run_id"], t["unit_id"], k // 3, k % 3, valid[k], reasons[k], predicted_ms[k], predicted_mb[k],
                 (100 + 50 * (k // 3)) if first else None, (20 + 10 * (k // 3)) if first else None, now])
        # A proposal of an earlier attempt (another run): not the outcome that counts.
        con.execute("INSERT INTO proposals VALUES ('r-old', ?, 'optuna', 'study', 9, 0, 'h', 'x', NULL, '{}', false, "
                    "'missing', 99, 99, 999, 999, 1.0, ?)", [block[0]["unit_id"], now])
    rows = {r["block"]: r for r in table(copy, "search methods on the same problem")}
    optuna = rows["optuna"]
    assert (optuna["proposals"], optuna["invalid_proposals"]) == (6, 2)
    assert (optuna["tokens_in"], optuna["tokens_out"]) == (250, 50)
    ms_errors = [abs(p - t["step_ms"]) for p, t in zip(predicted_ms, block) if p is not None]
    mb_errors = [abs(p - t["peak_mb"]) for p, t in zip(predicted_mb, block) if p is not None]
    assert optuna["step_time_mae_ms"] == pytest.approx(sum(ms_errors) / len(ms_errors))
    assert optuna["memory_mae_mb"] == pytest.approx(sum(mb_errors) / len(mb_errors))
    assert rows["grid"]["invalid_proposals"] is None and rows["random"]["tokens_in"] is None
    by_reason = {r["reason"]: r["proposals"] for r in table(copy, "invalid proposals by reason")}
    assert by_reason == {"malformed": 1, "outside_space": 1}


def figures(page: str) -> list[list[dict]]:
    """The traces of each Plotly figure in the page, in order."""
    found = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S)
    return [json.loads(text)["data"] for text in found]


def test_the_html_report_draws_one_curve_per_method_and_opens_offline(searched, tmp_path):
    spec, db = searched
    out = tmp_path / "search.html"
    result = CliRunner().invoke(report, ["search", str(spec), "--db", str(db), "--html", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert not re.search(r"<script[^>]*\bsrc\s*=", page)  # plotly.js is inline: nothing to fetch
    assert page.count("<script") >= 2 and len(re.findall(r"plotly\.js v\d", page)) == 1  # inlined once
    curve, scatter = figures(page)
    methods = [trace["name"].split(":")[0] for trace in curve]
    assert sorted(methods) == ["grid", "optuna", "random"]
    expected = trials(db)
    for trace in curve:  # the points with a feasible trial so far
        curve_points = [(n, b) for n, b in enumerate(best_so_far(expected[trace["name"].split(":")[0]]), 1) if b is not None]
        assert trace["x"] == [n for n, _ in curve_points] and trace["y"] == pytest.approx([b for _, b in curve_points])
    # The scatter: each block's trials (objective vs peak memory) and its Pareto front.
    points = {t["name"]: t for t in scatter}
    assert len(points) == 6 and sum(name.endswith("Pareto front") for name in points) == 3
    with duckdb.connect(str(db), read_only=True) as con:
        fronts = dict(con.execute("SELECT block, count(*) FROM pareto_front GROUP BY block").fetchall())
    for name, trace in points.items():
        block = name.split(":")[0]
        if name.endswith("Pareto front"):
            assert len(trace["x"]) == fronts[block] >= 1
        else:
            assert sorted(trace["y"]) == pytest.approx(sorted(t["best"] for t in expected[block]))


def test_plotly_js_is_inlined_once_after_the_figures():
    """An empty chart draws nothing; plotly.js goes once into the file, before the script that draws."""
    from benchrun.reports.html import render_html
    from benchrun.reports.named import Statement

    chart = {"kind": "line", "x": "n", "y": "v", "series": "s", "plotly": True}
    empty = (Statement("q", "empty", chart), ["n", "v", "s"], [(1, None, "a")])
    full = (Statement("q", "full", chart), ["n", "v", "s"], [(1, 2.0, "a"), (2, 1.0, "b")])
    page = render_html("t", "", [empty, full, full])
    assert "nothing to plot" in page and len(re.findall(r"plotly\.js v\d", page)) == 1
    assert page.index("plotly.js v") < page.index("Plotly.newPlot(div")
    assert [[t["name"] for t in figure] for figure in figures(page)] == [["a", "b"], ["a", "b"]]
