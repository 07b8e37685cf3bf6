"""tuned(dev = ...): the template is tuned on development tasks by a proposer model and
every candidate is stored; the best by dev pass@1 is used on the evaluation tasks.

The models are a scripted OpenAI-compatible server on real HTTP on loopback: the
proposer writes fixed candidate templates, and the code model solves a task exactly when
its prompt holds the word SOLVE-IT (it answers with the task's reference, else with the
unchanged input). Samples are judged for real, in the local sandbox."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec, parse_text

sys.path.insert(0, str(Path(__file__).parents[1] / "codegen"))
sys.path.insert(0, str(Path(__file__).parents[1]))
from chat_server import ChatServer  # noqa: E402
from task_fixtures import INPUT_PROGRAM, REFERENCE_PROGRAM, TOML, write_task  # noqa: E402

PROPOSALS = ("```template\nBe careful. $instruction\n```\n"
             "```template\nSOLVE-IT: $instruction\n```\n"
             "```template\nA template without its placeholder.\n```\n")


class ScriptedServer(ChatServer):
    """The proposer's answer (`proposals`, which a test may change), or a program: the
    task's reference exactly when the prompt holds SOLVE-IT, else the unchanged input."""

    def __init__(self):
        self.proposals = PROPOSALS
        super().__init__(self._answer)

    def _answer(self, body, k):
        if body["messages"][0]["content"].startswith("You improve prompt templates"):
            return self.proposals
        program = REFERENCE_PROGRAM if "SOLVE-IT" in body["messages"][-1]["content"] else INPUT_PROGRAM
        return f"```python\n{program}```"


@pytest.fixture
def server():
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


@pytest.fixture
def project(tmp_path):
    for name in ("dev/a", "dev/b", "eval/c"):
        write_task(tmp_path / "tasks" / name)
    return tmp_path


def spec_text(url: str, tasks: str = "tasks/eval/*") -> str:
    return f"""benchmark "tuning" {{
  tasks "{tasks}"
  models [openai("coder", base_url = "{url}"), oracle]
  strategies [zero_shot, tuned(dev = "tasks/dev/*", rounds = 1, candidates = 3,
                               proposer = openai("proposer", base_url = "{url}"))]
  temperature 0
  sandbox local()
}}
"""


def test_tuning_stores_every_candidate_and_uses_the_best_on_the_eval_tasks(project, server):
    spec = project / "tuning.bench"
    spec.write_text(spec_text(server.url))
    db = project / "results.duckdb"
    run_plan(build_plan(load_spec(spec)), db)
    with duckdb.connect(str(db), read_only=True) as con:
        candidates = con.execute("SELECT round, slot, template, valid, score, n, kept FROM prompt_candidates "
                                 "ORDER BY round, slot").fetchall()
        samples = dict(con.execute("SELECT strategy, passed FROM samples WHERE model = 'openai:coder'").fetchall())
        oracle = con.execute("SELECT count(*), bool_and(passed) FROM samples WHERE model = 'oracle'").fetchone()
    start, careful, solve, invalid = candidates
    assert start[:2] == (0, 0) and "$instruction" in start[2] and start[4:] == (0.0, 2, True)
    assert careful[2] == "Be careful. $instruction" and careful[4:] == (0.0, 2, False)
    assert solve[2] == "SOLVE-IT: $instruction" and solve[4:] == (1.0, 2, True)  # the best: kept
    assert invalid[3:] == (False, None, 0, False)  # no placeholder: refused, not scored
    # the eval task got the chosen template; zero-shot did not
    assert samples == {"zero_shot": False, next(s for s in samples if s.startswith("tuned")): True}
    assert oracle == (2, True)  # the oracle ignores prompts: its tuned unit neither waits nor fails
    eval_prompts = [p for p in server.prompts if "SOLVE-IT" in p and "The score is also in result.json" in p]  # brief
    assert len(eval_prompts) == 2 + 1  # two dev scorings of the winner, one eval sample
    # the proposer saw the starting template's failures and the check's output
    proposal = next(p for p in server.prompts if "improved templates" in p)
    assert "check_failed" in proposal and "no result.json" in proposal
    # the strategies report: pass@1 by strategy with the prompt's size, and the history
    report = subprocess.run([sys.executable, "-m", "benchrun.cli", "report", "strategies", str(spec), "--db", str(db)],
                            capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "400"}).stdout
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in report.split("prompt tuning history")[0].splitlines()
             if "experiment_tracking" in line and "openai:coder" in line]
    # block, functionality, model, strategy, level, k, pass_at, 95% CI, tasks, samples, prompt_tokens
    pass_at = {row[3].split("(")[0]: float(row[6]) for row in cells}  # strategy -> pass@1
    assert pass_at == {"zero_shot": 0.0, "tuned": 1.0} and all(int(row[10]) > 0 for row in cells)
    assert "prompt tuning history" in report and "SOLVE-IT: $instruction" in report


def test_a_resumed_tuning_reuses_its_stored_rounds(project, server):
    spec = project / "tuning.bench"
    spec.write_text(spec_text(server.url))
    db = project / "results.duckdb"
    run_plan(build_plan(load_spec(spec)), db)
    asked = len(server.prompts)
    # a second eval task: its tuned unit is new, the tuning is the same study
    write_task(project / "tasks" / "eval" / "d", toml=TOML.replace("result.json.", "result.json, please."))
    run_plan(build_plan(load_spec(spec)), db)
    new = server.prompts[asked:]
    assert len(new) == 2  # the new task's two prompted samples (zero_shot, tuned) and no tuning request
    assert any("SOLVE-IT" in p for p in new)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM prompt_candidates").fetchone()[0] == 4


def test_a_proposal_without_templates_is_recorded_as_an_invalid_round(project, server):
    server.proposals = "I would add more detail to the instructions."
    spec = project / "tuning.bench"
    spec.write_text(spec_text(server.url))
    run_plan(build_plan(load_spec(spec)), project / "results.duckdb")
    with duckdb.connect(str(project / "results.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT round, template, valid, reason, kept FROM prompt_candidates ORDER BY round").fetchall()
    assert [r[0] for r in rows] == [0, 1] and rows[0][2:] == (True, None, True)
    assert rows[1][1:] == (server.proposals, False, "no ```template block in the proposer's answer", False)


def test_check_refuses_dev_tasks_that_are_also_evaluation_tasks(project):
    with pytest.raises(Exception, match=r"development tasks are also evaluation tasks: tasks/dev/a, tasks/dev/b"):
        parse_text(spec_text("http://127.0.0.1:1/v1", tasks="tasks/*"), str(project / "s.bench"))
    with pytest.raises(Exception, match=r"tuned\(dev = \"tasks/none/\*\"\): no task folders match"):
        parse_text(spec_text("http://127.0.0.1:1/v1").replace("tasks/dev/*", "tasks/none/*"), str(project / "s.bench"))
