"""`benchrun sql`, `runs`, `report` and `export` on a real results file."""
from __future__ import annotations

import csv
import io
import json
import re

import duckdb
import pytest
from click.testing import CliRunner

from benchrun.cli.report import export, report, runs, sql
from benchrun.engine.units import Unit
from benchrun.storage import BatchWriter, Store
from benchrun.storage.store import now


@pytest.fixture
def db(tmp_path):
    """A file with one finished run: 2 models x 2 tasks x 3 samples and 2 trials."""
    path = tmp_path / "results.duckdb"
    store = Store(path)
    planned = [Unit(f"c-{model}-{task}-{i}", "codegen", "b", {}, {"task": task, "functionality": "tracking", "model": model,
                                                             "strategy": "zero_shot", "sample": i, "scores": [1, 3]})
               for model in ("good", "bad") for task in ("t1", "t2") for i in range(3)]
    planned += [Unit(f"t-{bs}", "trial", "b", {}) for bs in (8, 64)]
    store.open_run("r-1", planned, fresh=False, spec_path="s.bench", spec_hash="h", version="test")
    writer = BatchWriter(store, "r-1", interval=3600)
    for model, passing in (("good", 3), ("bad", 1)):
        for task in ("t1", "t2"):
            for i in range(3):
                uid = f"c-{model}-{task}-{i}"
                writer.record_unit(_unit(uid, "codegen"), [{
                    "task": task, "functionality": "tracking", "model": model, "strategy": "zero_shot",
                    "sample": i, "passed": i < passing, "failure": None if i < passing else "check_failed"}])
    for bs in (8, 64):
        uid = f"t-{bs}"
        for step in range(20):
            writer.log_metrics(uid, [(step, "train_loss", 1.0 / (step + 1)), (step, "memory_mb", 50.0 + bs)])
        writer.log_metrics(uid, [(19, "val_loss", bs / 100)])
        writer.record_unit(_unit(uid, "trial", {"metric": "val_loss", "mode": "min", "algorithm": "svm",
                                                "dataset": {"name": "d"}, "config": {"batch_size": bs, "learning_rate": 0.1}},
                                 {"steps": 20, "stop_reason": "completed"}), [])
    writer.close()
    store.finish_run("r-1", "finished")
    return path


def _unit(uid, kind, params=None, summary=None):
    return {"run_id": "r-1", "unit_id": uid, "kind": kind, "block": "b", "params": json.dumps(params or {}),
            "status": "done", "attempts": 1, "error": None, "finished": now(),
            "summary": json.dumps(summary) if summary else None}


def figures(page: str) -> list[dict]:
    """The Plotly figures an HTML report carries, in order."""
    return [json.loads(text) for text in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S)]


def invoke(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args], catch_exceptions=False)


def test_sql_prints_table_csv_and_json(db):
    query = "SELECT model, round(avg(pass_at), 3) AS p1 FROM pass_at_k WHERE k = 1 GROUP BY model ORDER BY model"
    table = invoke(sql, query, "--db", db)
    assert table.exit_code == 0 and "│ bad   │ 0.333 │" in table.output
    as_csv = list(csv.reader(io.StringIO(invoke(sql, query, "--db", db, "--csv").output)))
    assert as_csv == [["model", "p1"], ["bad", "0.333"], ["good", "1.0"]]
    assert json.loads(invoke(sql, query, "--db", db, "--json").output) == [{"model": "bad", "p1": 0.333}, {"model": "good", "p1": 1.0}]


def test_sql_errors_are_one_line(db, tmp_path):
    bad = invoke(sql, "SELECT nope FROM runs", "--db", db)
    assert bad.exit_code == 1 and bad.output.startswith("error: Binder Error") and "Traceback" not in bad.output
    missing = invoke(sql, "SELECT 1", "--db", tmp_path / "missing.duckdb")
    assert missing.exit_code == 1 and "no results file" in missing.output
    readonly = invoke(sql, "DELETE FROM runs", "--db", db)
    assert readonly.exit_code == 1 and "read-only" in readonly.output
    assert json.loads(invoke(sql, "SELECT count(*) AS n FROM runs", "--db", db, "--json").output) == [{"n": 1}]


def test_runs_lists_counts(db):
    result = invoke(runs, "--db", db)
    assert result.exit_code == 0
    line = next(row for row in result.output.splitlines() if "r-1" in row)
    assert [c.strip() for c in line.strip("│ ").split("│")][1] == "finished"
    assert " 14 " in line  # 12 samples + 2 trials done


def test_builtin_reports_run_and_render_html(db, tmp_path):
    listing = invoke(report, "--list")
    assert {"passk", "tuning", "failures"} <= {row.split()[0] for row in listing.output.splitlines() if row.strip()}
    out = tmp_path / "passk.html"
    result = invoke(report, "passk", "--db", db, "--html", out)
    assert result.exit_code == 0, result.output
    assert "pass@k by functionality" in result.output
    page = out.read_text()
    (chart,) = figures(page)  # the first table's; the second has no chart line
    # one panel per k (scores [1, 3]), in each a trace per model and strategy
    assert "<table>" in page and sorted((t["xaxis"], t["name"]) for t in chart["data"]) == [
        (axis, f"{model} / zero_shot") for axis in ("x", "x2") for model in ("bad", "good")]
    tuning = invoke(report, "tuning", "--db", db, "--html", tmp_path / "t.html")
    assert tuning.exit_code == 0, tuning.output
    assert sum(t["type"] == "scatter" for figure in figures((tmp_path / "t.html").read_text()) for t in figure["data"]) >= 2
    assert invoke(report, "failures", "--db", db).exit_code == 0


def test_user_reports_bind_run_and_split_statements(db, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "mine.sql").write_text(
        "-- My counts.\n"
        "-- table: samples of the run\n"
        "SELECT count(*) AS n FROM samples WHERE $run IS NULL OR run_id = $run;\n"
        "SELECT 41 + 1 AS answer;\n"
    )
    all_runs = invoke(report, "mine", "--db", db, "--dir", folder)
    assert all_runs.exit_code == 0 and "My counts." in all_runs.output and "samples of the run" in all_runs.output
    assert "│ 12 │" in all_runs.output and "│     42 │" in all_runs.output
    other = invoke(report, "mine", "--db", db, "--dir", folder, "--run", "r-other")
    assert other.exit_code == 1 and "no run 'r-other'" in other.output
    unknown = invoke(report, "nothing", "--db", db, "--dir", folder)
    assert unknown.exit_code == 1 and "no report named 'nothing'" in unknown.output and "mine" in unknown.output


def test_export_writes_parquet_per_table(db, tmp_path):
    out = tmp_path / "export"
    result = invoke(export, "latest", "--parquet", out, "--db", db)
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    tables = ("runs", "planned_units", "units", "samples", "metrics")
    counts = {t: con.execute(f"SELECT count(*) FROM '{out / (t + '.parquet')}'").fetchone()[0] for t in tables}
    assert counts == {"runs": 1, "planned_units": 14, "units": 14, "samples": 12, "metrics": 2 * 41}
    assert invoke(export, "r-nope", "--parquet", out, "--db", db).exit_code == 1
