"""The codegen workload end to end: spec -> plan -> model -> sandbox -> samples in DuckDB.

Real parts throughout: a real OpenAI-compatible HTTP server on loopback (the fault server
of tests/models, answering plain text), real sandboxes, a real DuckDB file.
"""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from benchrun.cli.report import report as report_command
from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
from fault_server import FaultServer

TASKS = Path(__file__).parents[2] / "tasks"
# Two fast tasks of different suites and functionalities.
TWO_TASKS = [TASKS / "inlining" / "onnx-logreg-iris", TASKS / "translation" / "mlflow-wandb-iris-params"]


def write_spec(tmp_path: Path, models: str, sandbox: str, samples: int = 2) -> Path:
    tasks = ", ".join(f'"{p}"' for p in TWO_TASKS)
    spec = tmp_path / "smoke.bench"
    spec.write_text(
        f"""
benchmark "smoke" {{
  tasks       [{tasks}]
  models      {models}
  samples     {samples}
  temperature 0.8
  score       [pass@1]
  sandbox     {sandbox}
  concurrency 2
}}
"""
    )
    return spec


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def run(spec: Path, db: Path, **options):
    return run_plan(build_plan(load_spec(spec)), db, **options)


def test_a_rerun_asks_no_model_twice_and_no_cache_asks_again(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "not-a-secret")
    db = tmp_path / "results.duckdb"
    with FaultServer() as server:
        spec = write_spec(
            tmp_path, f'[openai("fault-model", base_url = "{server.url}", api_key_env = "FAULT_KEY")]', "local()"
        )
        summary = run(spec, db)
        assert (summary.status, summary.done, summary.failed) == ("finished", 4, 0)
        first = len(server.requests)
        assert first == 4  # 2 tasks x 2 samples, one request each

        summary = run(spec, db, fresh=True)  # every unit again; every completion from the cache
        assert (summary.status, summary.done, summary.failed) == ("finished", 4, 0), summary.error
        assert len(server.requests) == first
        cached = rows(db, "SELECT cached, count(*) FROM samples GROUP BY ALL ORDER BY 1")
        assert cached == [(False, 4), (True, 4)]

        run(spec, db, fresh=True, use_cache=False)
        assert len(server.requests) == 2 * first

    # The server answers prose, not code: each sample is recorded as such, not lost.
    failures = rows(db, "SELECT DISTINCT failure FROM samples")
    assert failures and all(f[0] in ("no_code", "syntax_error", "runtime_error", "check_failed") for f in failures)
    # Distinct samples of one prompt got distinct seeds.
    seeds = {body.get("seed") for _, body in server.requests}
    assert len(seeds) == 2


def test_a_dead_model_fails_its_units_and_the_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "x")
    db = tmp_path / "results.duckdb"
    spec = write_spec(
        tmp_path,
        '[openai("m", base_url = "http://127.0.0.1:9/v1", api_key_env = "FAULT_KEY", timeout = 2s, max_attempts = 2), identity]',
        "local()",
        samples=1,
    )
    summary = run(spec, db)
    statuses = dict(rows(db, "SELECT json_extract_string(params, '$.model.name'), status FROM units"))
    assert statuses["identity"] == "done"
    assert statuses[next(k for k in statuses if k != "identity")] == "failed"
    errors = rows(db, "SELECT error FROM units WHERE status = 'failed'")
    assert all("down" in e[0] for e in errors), errors
    assert summary.status == "incomplete"  # the units run again on resume; `benchrun run` exits 2


def test_a_prompt_over_the_context_counts_in_n_with_its_prompt(tmp_path, monkeypatch):
    """The model's answer to this prompt (over its context) is the model's: the unit is done,
    its sample failed with the category, and the row keeps the prompt step's fields."""
    monkeypatch.setenv("FAULT_KEY", "x")
    db = tmp_path / "results.duckdb"
    with FaultServer(default="context") as server:
        spec = write_spec(
            tmp_path, f'[openai("fault-model", base_url = "{server.url}", api_key_env = "FAULT_KEY")]', "local()",
            samples=1)
        summary = run(spec, db)
    assert (summary.status, summary.done, summary.failed) == ("finished", 2, 0)
    got = rows(db, "SELECT failure, passed, completion, code, extraction, prompt_hash IS NOT NULL, "
                   "(extra->>'prompt_tokens')::INT > 0, stderr_tail FROM samples")
    assert [r[:-1] for r in got] == [("context_overflow", False, None, "", "none", True, True)] * 2
    assert all(r[-1].startswith("model openai:fault-model: context: ") for r in got), [r[-1] for r in got]
    assert rows(db, "SELECT count(*) FROM prompts") == [(2,)]


def test_fail_fast_stops_the_run_on_a_model_that_is_down(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "x")
    db = tmp_path / "results.duckdb"
    spec = write_spec(
        tmp_path, '[openai("m", base_url = "http://127.0.0.1:9/v1", api_key_env = "FAULT_KEY", timeout = 2s, '
                  'max_attempts = 1)]', "local()", samples=1)
    summary = run(spec, db, fail_fast=True, concurrency=1)
    assert summary.status == "failed" and (summary.done, summary.failed, summary.not_run) == (0, 1, 1)
    assert rows(db, "SELECT count(*) FROM samples") == [(0,)]


@pytest.mark.docker
def test_oracle_passes_and_identity_fails_in_docker(tmp_path, docker_client):
    db = tmp_path / "results.duckdb"
    spec = write_spec(tmp_path, "[oracle, identity]", "docker(timeout = 180s, memory = 1GiB)", samples=1)
    run(spec, db)
    passed = dict(rows(db, "SELECT model, avg(passed::INT) FROM samples GROUP BY model"))
    assert passed == {"oracle": 1.0, "identity": 0.0}
    pass_at_1 = dict(rows(db, "SELECT model, avg(pass_at) FROM pass_at_k WHERE k = 1 GROUP BY model"))
    assert pass_at_1 == {"oracle": 1.0, "identity": 0.0}
    # The ONNX task's graded values, from its check through the judge's verdict line; the
    # identity's check fails before it measures anything.
    measures = {name: (value, unit, passed) for name, value, unit, passed in rows(
        db, "SELECT name, value, unit, check_passed FROM current_measures WHERE model = 'oracle'")}
    assert set(measures) == {"size_ratio", "latency_ratio", "accuracy_drop"}
    assert measures["accuracy_drop"] == (0.0, "", True)  # the export predicts the same labels
    assert 0 < measures["size_ratio"][0] < 10 and measures["latency_ratio"][0] > 0
    assert rows(db, "SELECT count(*) FROM current_measures WHERE model = 'identity'") == [(0,)]
    report = CliRunner().invoke(report_command, ["measures", "--db", str(db)], catch_exceptions=False)
    assert report.exit_code == 0 and "latency_ratio" in report.output and "inlining/onnx-logreg-iris" in report.output


@pytest.mark.docker
def test_a_sandbox_that_cannot_run_fails_the_unit_instead_of_scoring_it(tmp_path, docker_client):
    """Docker refuses a container with 4 MiB of memory (its minimum is 6 MB): the sample
    was never measured, so the unit fails (and runs again on resume); no sample row counts
    against the model."""
    db = tmp_path / "results.duckdb"
    spec = write_spec(tmp_path, "[identity]", "docker(memory = 4MiB)", samples=1)
    summary = run(spec, db)
    assert (summary.done, summary.failed) == (0, 2)
    errors = rows(db, "SELECT error FROM units")
    assert all(e[0].startswith("sandbox: ") for e in errors), errors
    assert rows(db, "SELECT count(*) FROM samples") == [(0,)]
