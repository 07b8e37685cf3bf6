"""pass@k answers for exactly one plan, end to end: `benchrun run` with the real codegen
workload (tiny HumanEval-format tasks, the local sandbox, a scripted OpenAI-compatible
server on loopback), then `benchrun report` / `sql` for a spec or a run."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchrun.cli.report import report, sql
from benchrun.cli.run import run

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
from fault_server import FaultServer  # noqa: E402


def pack(folder: Path, count: int) -> Path:
    path = folder / f"pack{count}.jsonl"
    with path.open("w") as out:
        for i in range(count):
            out.write(json.dumps({
                "task_id": f"Tiny/{i}", "entry_point": f"f{i}", "prompt": f"def f{i}(x):\n    \"\"\"x + {i}\"\"\"\n",
                "canonical_solution": f"    return x + {i}\n", "test": f"def check(f):\n    assert f(1) == {i + 1}\n",
            }) + "\n")
    return path


def spec(folder: Path, name: str, tasks: int, models: str, samples: int = 3, timeout: str = "30s", score: str = "[pass@1, pass@2]") -> Path:
    path = folder / f"{name}.bench"
    path.write_text(f"""
benchmark "{name}" {{
  tasks       humaneval("{pack(folder, tasks)}")
  models      {models}
  samples     {samples}
  score       {score}
  sandbox     local(timeout = {timeout})
  concurrency 4
}}
""")
    return path


def invoke(command, *args):
    return CliRunner().invoke(command, [str(a) for a in args], catch_exceptions=False)


def incomplete_rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if "│" in line and "incomplete" in line]


def query(db: Path, text: str, *scope) -> list[dict]:
    result = invoke(sql, text, "--db", db, "--json", *scope)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_timeout_edit_then_a_rerun_reports_exactly_the_current_plan(tmp_path):
    db = tmp_path / "r.duckdb"
    path = spec(tmp_path, "edit", 4, "[oracle, identity]")
    assert invoke(run, path, "--db", db).exit_code == 0
    path.write_text(path.read_text().replace("timeout = 30s", "timeout = 40s"))
    assert invoke(run, path, "--db", db).exit_code == 0
    assert query(db, "SELECT count(*) AS n FROM samples") == [{"n": 48}]  # both versions stay in the file
    cells = query(db, "SELECT model, k, tasks, n, planned, pass_at FROM pass_at_k_by_functionality ORDER BY ALL",
                  "--spec", path)
    assert cells == [
        {"model": "identity", "k": 1, "tasks": 4, "n": 12, "planned": 12, "pass_at": 0.0},
        {"model": "identity", "k": 2, "tasks": 4, "n": 12, "planned": 12, "pass_at": 0.0},
        {"model": "oracle", "k": 1, "tasks": 4, "n": 12, "planned": 12, "pass_at": 1.0},
        {"model": "oracle", "k": 2, "tasks": 4, "n": 12, "planned": 12, "pass_at": 1.0},
    ]
    paper = invoke(report, "paper", path, "--db", db, "--html", tmp_path / "paper.html")
    assert paper.exit_code == 0, paper.output
    assert "pass@k by functionality" in paper.output and not incomplete_rows(paper.output)
    page = (tmp_path / "paper.html").read_text()
    panels = {a["text"] for a in json.loads(page.split('<script type="application/json" id="figure-1">')[1]
                                            .split("</script>")[0])["layout"]["annotations"]}
    assert panels == {"level = brief, k = 1", "level = brief, k = 2"}  # the k of `score` (and the level), in the charts too


def test_two_specs_sharing_a_file_are_never_mixed(tmp_path):
    db = tmp_path / "r.duckdb"
    quick = spec(tmp_path, "quick", 2, "[oracle]", samples=2, score="[pass@1]")
    full = spec(tmp_path, "full", 4, "[oracle]", samples=3, score="[pass@3]")
    for path in (quick, full):
        assert invoke(run, path, "--db", db).exit_code == 0
    total = "SELECT k, sum(n) AS n, sum(planned) AS planned FROM pass_at_k GROUP BY k"
    assert query(db, total, "--spec", quick) == [{"k": 1, "n": 4, "planned": 4}]
    assert query(db, total, "--spec", full) == [{"k": 3, "n": 12, "planned": 12}]
    assert query(db, total) == [{"k": 3, "n": 12, "planned": 12}]  # default: the newest run's plan
    first = query(db, "SELECT run_id FROM runs ORDER BY started LIMIT 1")[0]["run_id"]
    assert query(db, total, "--run", first) == [{"k": 1, "n": 4, "planned": 4}]


def test_a_model_that_always_overflows_the_context_scores_zero_over_the_whole_plan(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "not-a-secret")
    db = tmp_path / "r.duckdb"
    with FaultServer(default="context") as server:
        path = spec(tmp_path, "long", 3, f'[openai("m", base_url = "{server.url}", api_key_env = "FAULT_KEY")]',
                    samples=2, score="[pass@1]")
        assert invoke(run, path, "--db", db).exit_code == 0
    cells = query(db, "SELECT task, n, planned, complete, pass_at FROM pass_at_k ORDER BY task", "--spec", path)
    assert cells == [{"task": f"Tiny/{i}", "n": 2, "planned": 2, "complete": True, "pass_at": 0.0} for i in range(3)]
    assert query(db, "SELECT DISTINCT failure FROM current_samples") == [{"failure": "context_overflow"}]


def test_units_the_model_server_could_not_answer_leave_cells_incomplete_until_a_resume(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "not-a-secret")
    db = tmp_path / "r.duckdb"
    with FaultServer(script=["404"] * 2) as server:  # a misconfigured server, fixed before the resume
        path = spec(tmp_path, "flaky", 2, f'[openai("m", base_url = "{server.url}", api_key_env = "FAULT_KEY")]',
                    samples=2, score="[pass@1]")
        first = invoke(run, path, "--db", db)
        assert first.exit_code == 2 and "incomplete: 2 units could not run" in first.output
        paper = invoke(report, "paper", path, "--db", db)
        assert paper.exit_code == 0 and incomplete_rows(paper.output)
        cells = query(db, "SELECT sum(n) AS n, sum(planned) AS planned, bool_and(complete) AS complete, "
                          "count(pass_at) FILTER (NOT complete) AS valued FROM pass_at_k", "--spec", path)
        assert cells == [{"n": 2, "planned": 4, "complete": False, "valued": 0}]  # no pass@k for an incomplete cell
        again = invoke(run, path, "--db", db)
        assert again.exit_code == 0, again.output
    cells = query(db, "SELECT sum(n) AS n, bool_and(complete) AS complete FROM pass_at_k", "--spec", path)
    assert cells == [{"n": 4, "complete": True}]


@pytest.mark.parametrize("both", [("--spec", "x.bench", "--run", "r-1")])
def test_a_spec_and_a_run_together_are_refused(tmp_path, both):
    result = invoke(sql, "SELECT 1", "--db", tmp_path / "r.duckdb", *both)
    assert result.exit_code == 1 and "not both" in result.output
