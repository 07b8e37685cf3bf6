"""Graded measures in the results file: sample rows' `measures` go to sample_measures
through the batched writer (a failed check's marked), the views give per-cell means with
their interval over the passed samples only, and `benchrun report measures` shows them."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from benchrun.cli.report import report
from benchrun.engine.units import Unit
from benchrun.storage import BatchWriter, Store, connect
from benchrun.storage.store import now

RUN = "r-measures"
# (unit, model, sample, passed, latency_ms): model a's passed latencies 10, 12, 14; one failed at 99
SAMPLES = [("u0", "a", 0, True, 10.0), ("u1", "a", 1, True, 12.0), ("u2", "a", 2, True, 14.0),
           ("u3", "a", 3, False, 99.0), ("u4", "b", 0, True, 20.0)]


def rows(path, query):
    with connect(path, read_only=True) as con:
        return con.execute(query).fetchall()


@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "m.duckdb")
    units = [Unit(id=u, kind="codegen", block="b", params={},
                  labels={"task": "serving/x", "functionality": "serving", "model": m, "strategy": "zero_shot",
                          "sample": i, "scores": [1], "level": "brief"}) for u, m, i, _, _ in SAMPLES]
    store.open_run(RUN, units, fresh=False, spec_path="s.bench", spec_hash="h", version="test")
    writer = BatchWriter(store, RUN, interval=3600)
    for unit, model, index, passed, latency in SAMPLES:
        writer.record_unit(
            {"run_id": RUN, "unit_id": unit, "kind": "codegen", "block": "b", "params": "{}", "status": "done",
             "attempts": 1, "error": None, "finished": now(), "summary": None},
            [{"task": "serving/x", "functionality": "serving", "model": model, "strategy": "zero_shot", "sample": index,
              "passed": passed, "measures": [{"name": "latency_ms", "value": latency, "unit": "ms"},
                                             {"name": "requests", "value": 8, "unit": ""}]}])
    writer.close()
    return store.path


def test_measures_are_stored_per_sample_and_not_in_extra(db):
    got = rows(db, "SELECT unit_id, sample, name, value, unit, check_passed FROM sample_measures ORDER BY unit_id, name")
    assert got[:2] == [("u0", 0, "latency_ms", 10.0, "ms", True), ("u0", 0, "requests", 8.0, "", True)]
    assert ("u3", 3, "latency_ms", 99.0, "ms", False) in got  # a failed check's values, marked
    assert len(got) == 2 * len(SAMPLES)
    assert rows(db, "SELECT count(*) FROM samples WHERE extra IS NOT NULL") == [(0,)]


def test_the_view_averages_passed_samples_with_a_t_interval(db):
    got = rows(db, "SELECT model, n, mean, low, high, n_failed, mean_failed FROM measures_by_task "
                   "WHERE name = 'latency_ms' ORDER BY model")
    (a, b) = got
    half = 4.302653 * 2.0 / 3 ** 0.5  # t(0.975, 2) * sd / sqrt(3), sd of 10, 12, 14 = 2
    assert a[:3] == ("a", 3, 12.0) and a[3] == pytest.approx(12 - half) and a[4] == pytest.approx(12 + half)
    assert a[5:] == (1, 99.0)  # the failed sample: counted apart, not in the mean
    assert b == ("b", 1, 20.0, None, None, 0, None)  # one sample: no interval


def test_the_report_shows_the_measures(db, tmp_path):
    html = tmp_path / "measures.html"
    result = CliRunner().invoke(report, ["measures", "--db", str(db), "--html", str(html)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "latency_ms" in line and " a " in f" {line} ")
    assert "[7.03, 16.97]" in line and " 12" in line
    assert "requests" in result.output
    assert "graded measures per task" in html.read_text()
