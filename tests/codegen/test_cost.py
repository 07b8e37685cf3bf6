"""Samples from one request, tokens and cost in the store, and a budget, end to end over
real HTTP: a scripted OpenAI-compatible server on loopback, the local sandbox, a real
DuckDB file. The server counts the requests it gets."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from benchrun.codegen.requests import prompt_tokens
from benchrun.codegen.sources import load_tasks
from benchrun.codegen.workload import DEFAULT_CONTEXT_TOKENS
from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec
from benchrun.prompts import build_prompt
from benchrun.reports.named import built_in_dirs, find_report, run_report

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
from fault_server import FaultServer

TASKS = Path(__file__).parents[2] / "tasks"
TWO_TASKS = [TASKS / "inlining" / "onnx-logreg-iris", TASKS / "translation" / "mlflow-wandb-iris-params"]
MAX_TOKENS = 200


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "not-a-secret")


def write_spec(tmp_path: Path, url: str, tasks, samples: int, extra: str = "", price: str = "") -> Path:
    listed = ", ".join(f'"{p}"' for p in tasks)
    spec = tmp_path / "cost.bench"
    spec.write_text(f"""
benchmark "cost" {{
  tasks       [{listed}]
  models      [openai("fault-model", base_url = "{url}", api_key_env = "FAULT_KEY"{price})]
  samples     {samples}
  max_tokens  {MAX_TOKENS}
  sandbox     local()
  concurrency 1
  {extra}
}}
""")
    return spec


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def run(spec: Path, db: Path, **options):
    return run_plan(build_plan(load_spec(spec)), db, **options)


def test_ten_samples_from_one_request_count_the_prompt_once(tmp_path):
    db = tmp_path / "r.duckdb"
    with FaultServer(honour_n=True) as server:
        summary = run(write_spec(tmp_path, server.url, TWO_TASKS[:1], samples=10), db)
        assert (summary.status, summary.done) == ("finished", 10)
        assert [body.get("n") for _, body in server.requests] == [10]
        first_run = summary.run_id  # run ids of one second do not sort by time
        # Resume and a fresh run find all ten in the cache; --no-cache asks again, once.
        run(write_spec(tmp_path, server.url, TWO_TASKS[:1], samples=10), db, fresh=True)
        assert len(server.requests) == 1
        run(write_spec(tmp_path, server.url, TWO_TASKS[:1], samples=10), db, fresh=True, use_cache=False)
        assert len(server.requests) == 2
    first = f"SELECT * FROM samples WHERE run_id = '{first_run}'"
    assert rows(db, f"SELECT sum(tokens_in), sum(tokens_out), count(DISTINCT request_id), count(n_fallback) "
                    f"FROM ({first})") == [(11, 50, 1, 0)]
    assert rows(db, f"SELECT count_if(tokens_in > 0), count_if(cached) FROM ({first})") == [(1, 0)]
    assert rows(db, "SELECT count(*), count(DISTINCT text) FROM completions") == [(10, 10)]


@pytest.mark.parametrize("server_options, why", [({}, "returned 1 of 10 completions"),
                                                 ({"refuse_n": True}, "refused n=10")])
def test_a_server_not_honouring_n_gets_one_request_per_sample_and_the_store_says_why(tmp_path, server_options, why):
    db = tmp_path / "r.duckdb"
    with FaultServer(**server_options) as server:
        summary = run(write_spec(tmp_path, server.url, TWO_TASKS, samples=10), db)
        assert (summary.status, summary.done) == ("finished", 20)
        # The first cell found out (one request with n); the second did not ask again.
        asked = [body.get("n") for _, body in server.requests]
        probes = 2 if server_options else 1  # a refused request is asked again without n
        assert asked.count(10) == 1 and len(asked) == 20 + probes - 1
    fallbacks = rows(db, "SELECT DISTINCT n_fallback FROM samples")
    assert len(fallbacks) == 1 and why in fallbacks[0][0]
    assert rows(db, "SELECT sum(tokens_in), count(DISTINCT request_id) FROM samples") == [(20 * 11, 20)]


def _prompt_estimates(spec: Path) -> list[int]:
    block = load_spec(spec).blocks[0]
    tasks = [t.at_level(block.levels[0]) for source in block.tasks for t in load_tasks(source)]
    return [prompt_tokens(build_prompt(block.strategies[0], t, DEFAULT_CONTEXT_TOKENS, MAX_TOKENS,
                                       base_dir=spec.parent).messages) for t in tasks]


def test_a_budget_stops_requests_before_it_is_spent_and_a_larger_one_finishes_the_run(tmp_path):
    """A dollar per thousand tokens; the budget holds the first request's worst case (its
    prompt estimate and max_tokens) but not the second's on top of what the first cost."""
    db = tmp_path / "r.duckdb"
    price = ", price = [1000, 1000]"
    with FaultServer(honour_n=True) as server:
        estimates = _prompt_estimates(write_spec(tmp_path, server.url, TWO_TASKS, samples=1))
        tasks = [t for _, t in sorted(zip(estimates, TWO_TASKS))]  # the cheaper prompt first
        budget = (min(estimates) + MAX_TOKENS + 8) / 1000
        spec = write_spec(tmp_path, server.url, tasks, samples=1, extra=f"budget {budget:.3f} USD", price=price)
        summary = run(spec, db)
        assert (summary.status, summary.done, summary.failed) == ("incomplete", 1, 1)
        assert len(server.requests) == 1
        assert any("budget of" in note and "stopped 1 model requests" in note for note in summary.notes)
        assert rows(db, "SELECT error FROM units WHERE status = 'failed'")[0][0].startswith("model openai:fault-model: budget")
        assert rows(db, "SELECT cost_usd FROM samples") == [(pytest.approx(0.016),)]  # 11 + 5 tokens

        summary = run(write_spec(tmp_path, server.url, tasks, samples=1, extra="budget 100 USD", price=price), db)
        assert (summary.status, summary.skipped, summary.done) == ("finished", 1, 1)
        assert len(server.requests) == 2  # the second task's request only: nothing asked twice

    with duckdb.connect(str(db), read_only=True) as con:
        [(_, columns, table), *_] = run_report(con, find_report("cost", built_in_dirs()))
    by_name = dict(zip(columns, table[0]))
    assert (by_name["samples"], by_name["requests"], by_name["tokens_in"], by_name["usd"]) == (2, 2, 22, 0.032)


def test_a_budget_in_tokens_and_a_bad_budget(tmp_path):
    from benchrun.grammar import SpecError

    with FaultServer(honour_n=True) as server:
        spec = write_spec(tmp_path, server.url, TWO_TASKS[:1], samples=2, extra="budget 10 tokens")
        summary = run(spec, tmp_path / "r.duckdb")
        assert summary.status == "incomplete" and len(server.requests) == 0  # refused, said so, resumable
        assert summary.notes
        with pytest.raises(SpecError, match="budget AMOUNT USD"):
            load_spec(write_spec(tmp_path, server.url, TWO_TASKS[:1], samples=2, extra="budget 10 euros"))
