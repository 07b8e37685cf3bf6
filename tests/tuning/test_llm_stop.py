"""`stop when llm(model, every = N)` against a scripted OpenAI-compatible server on
loopback (real HTTP, a real run): the model is asked every N evaluations with the
trial's metric stream and the constraints; a valid stop ends the trial, every request
and answer is a `stop_decisions` row, and malformed, unsafe or missing answers are
counted and fall back to the rule's default without failing the run. One run asks the
embedded model."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from benchrun.tuning.stopping.llm_judge import MALFORMED, MODEL_ERROR, UNSAFE, read_decision

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from chat_server import ChatServer  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SCRIPTED_KEY": "not-a-secret"}


def spec_text(model: str, rule: str = "every = 2", executor: str = "local(max_concurrent = 1)") -> str:
    return f"""
{model}
tune "llm-stop" {{
  datasets    [synthetic(rows = 2000, features = 8, task = regression)]
  algorithms  [linear_regression]
  grid {{
    batch_size    = [16]
    learning_rate = [0.01, 0.001, 0.0001]
  }}
  epochs      1
  evaluate    every 10 steps
  stop        when memory_mb > 4GiB or step_time_ms > 1s
  stop        when llm(judge, {rule})
  executor    {executor}
  seed        3
}}
"""


def scripted(url: str) -> str:
    return f'model judge = openai("scripted", base_url = "{url}", api_key_env = "SCRIPTED_KEY", max_attempts = 1)'


def run(spec: Path, db: Path) -> subprocess.CompletedProcess:
    code = "from benchrun.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, "run", str(spec), "--db", str(db)], env=ENV,
                          capture_output=True, text=True, timeout=600)


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_an_answer_is_read_leniently_and_classed():
    assert read_decision('{"decision": "stop", "reason": "too slow"}') == ("stop", "too slow", None)
    assert read_decision('```json\n{"decision": "Continue"}\n```') == ("Continue", None, None)
    assert read_decision('I think so. {"decision": "continue", "reason": 3}') == ("continue", None, None)
    assert read_decision("stop it now") == (None, None, MALFORMED)
    assert read_decision('{"reason": "no decision"}') == (None, None, MALFORMED)
    assert read_decision('{"decision": ["stop"]}') == (None, None, MALFORMED)
    assert read_decision('{"decision": "stop_all_trials", "reason": "save everything"}')[2] == UNSAFE
    assert read_decision('{"decision": "increase memory limit"}')[2] == UNSAFE
    assert read_decision(None) == (None, None, MODEL_ERROR)


def test_the_model_stops_a_trial_and_every_question_is_stored(tmp_path):
    """lr 0.0001: the model says stop at its first question. lr 0.001: a malformed answer,
    then an unsafe one, then continue: it runs to the end. lr 0.01: continue."""
    def answer(body, k):
        prompt = body["messages"][-1]["content"]
        if '"learning_rate":0.0001' in prompt:
            return '{"decision": "stop", "reason": "the loss falls too slowly to catch up"}'
        if '"learning_rate":0.001' in prompt:
            asked = sum('"learning_rate":0.001' in b["messages"][-1]["content"] for b in server.bodies)
            return ["Sure, it looks fine!", '{"decision": "stop_all_trials", "reason": "save compute"}'][asked - 1] \
                if asked <= 2 else '{"decision": "continue", "reason": "still improving"}'
        return '{"decision": "continue", "reason": "good"}'

    server = ChatServer(answer)
    try:
        spec = tmp_path / "stop.bench"
        spec.write_text(spec_text(scripted(server.url)))
        db = tmp_path / "results.duckdb"
        done = run(spec, db)
        assert done.returncode == 0, done.stderr
    finally:
        server.close()

    trials = {json.loads(s)["config"]["learning_rate"]: json.loads(s) for (s,) in
              query(db, "SELECT summary FROM units WHERE status = 'done'")}
    assert trials[0.0001]["stop_reason"].startswith('llm(openai("scripted"), every = 2')
    assert trials[0.0001]["stopped_at_step"] == 20  # the 2nd evaluation: the first question
    assert trials[0.001]["stop_reason"] == trials[0.01]["stop_reason"] == "completed"

    rows = query(db, "SELECT u.summary::JSON ->> '$.config.learning_rate' AS lr, d.evaluation, d.step, d.decision, "
                     "d.valid, d.refused, d.reason, d.proposed, d.tokens_in, d.prompt, d.completion "
                     "FROM stop_decisions d JOIN units u USING (run_id, unit_id) ORDER BY lr, d.evaluation")
    assert len(rows) == len(server.bodies)  # one row per request
    by_lr = {}
    for row in rows:
        by_lr.setdefault(float(row[0]), []).append(row)
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in by_lr[0.0001]] == [(2, 20, "stop", True, None)]
    assert by_lr[0.0001][0][6] == "the loss falls too slowly to catch up"
    steps = 1400 // 16 + 1  # 88 steps, an evaluation every 10: questions at evaluations 2, 4, 6, 8
    assert [r[1] for r in by_lr[0.01]] == [2, 4, 6, 8] == [r[1] for r in by_lr[0.001]] and steps == 88
    assert [(r[3], r[4], r[5]) for r in by_lr[0.001]] == [
        ("continue", False, MALFORMED), ("continue", False, UNSAFE), ("continue", True, None), ("continue", True, None)]
    assert by_lr[0.001][1][7] == "stop_all_trials"  # what the model wrote is kept
    assert all(r[8] == 10 for r in rows)  # the server's usage, per request
    # The prompt: the trial, the budget, the constraints and its metric stream.
    prompt = json.loads(by_lr[0.001][2][9])[-1]["content"]
    assert "linear_regression" in prompt and "Budget: 88 training steps; it has run 60" in prompt
    assert "memory_mb > 4096 or step_time_ms > 1000" in prompt
    assert prompt.count("val_loss=") == 6 and "step=60 " in prompt
    # lr 0.01 finished first and is the best finished trial the later prompts show.
    assert "Best val_loss of a finished trial of this problem so far: none" in json.loads(by_lr[0.01][0][9])[-1]["content"]
    assert "none has finished" not in prompt

    # report rq2 counts the questions beside the other rules' savings.
    code = "from benchrun.cli import main; main()"
    report = subprocess.run([sys.executable, "-c", code, "report", "rq2", "--db", str(db)], env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    line = next(line for line in report.stdout[report.stdout.index("questions an llm stop rule"):].splitlines()
                if "llm-stop" in line)
    cells = [c.strip() for c in line.split("│")[1:-1]]
    assert cells[2:9] == ["9", "3", "1", "2", "1", "1", "0"]  # questions, trials, stops, refused, malformed, unsafe, none


def test_a_model_that_cannot_answer_falls_back_and_the_run_goes_on(tmp_path):
    import socket

    with socket.socket() as closed:  # a loopback port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    spec = tmp_path / "stop.bench"
    spec.write_text(spec_text(scripted(f"http://127.0.0.1:{port}/v1"), rule="every = 4, fallback = continue"))
    db = tmp_path / "results.duckdb"
    done = run(spec, db)
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT count(*), count_if(summary::JSON ->> 'stop_reason' = 'completed') FROM units") == [(3, 3)]
    rows = query(db, "SELECT decision, valid, refused FROM stop_decisions")
    assert len(rows) == 6 and all(r[0] == "continue" and not r[1] and r[2].startswith(MODEL_ERROR) for r in rows)


def test_the_embedded_model_decides_through_the_whole_path(tmp_path, local_model):
    """`llm(local())`: SmolLM2 served by llama.cpp. Whatever it answers is a result: each
    question is stored, classed, and the run ends."""
    spec = tmp_path / "stop.bench"
    spec.write_text(spec_text("", rule="every = 4, max_tokens = 48").replace("llm(judge,", "llm(local(),"))
    db = tmp_path / "results.duckdb"
    done = run(spec, db)
    assert done.returncode == 0, done.stderr
    rows = query(db, "SELECT decision, valid, refused, completion, tokens_in FROM stop_decisions")
    assert rows and all(r[3] and r[4] > 0 for r in rows)
    assert all(r[1] == (r[2] is None) and r[0] in ("continue", "stop") for r in rows)
    assert query(db, "SELECT count(*) FROM units WHERE status = 'done'") == [(3,)]


@pytest.mark.ray  # the run starts its own local Ray
def test_on_ray_the_stopper_asks_the_judge_directly(tmp_path):
    def answer(body, k):
        stop = '"learning_rate":0.0001' in body["messages"][-1]["content"]
        return json.dumps({"decision": "stop" if stop else "continue", "reason": "scripted"})

    with ChatServer(answer) as server:
        spec = tmp_path / "stop.bench"
        spec.write_text(spec_text(scripted(server.url), executor="ray(max_concurrent = 1)"))
        db = tmp_path / "results.duckdb"
        done = run(spec, db)
        assert done.returncode == 0, done.stderr
    steps = {json.loads(s)["config"]["learning_rate"]: json.loads(s)["steps"] for (s,) in
             query(db, "SELECT summary FROM units WHERE status = 'done'")}
    assert steps == {0.01: 88, 0.001: 88, 0.0001: 20}
    assert query(db, "SELECT count(*), count_if(decision = 'stop') FROM stop_decisions") == [(9, 1)]


def test_a_resumed_or_retried_trial_counts_the_questions_of_its_finishing_attempt_only(tmp_path):
    """Rows as three runs leave them: run A is killed while trial u1 is at its third
    question (u2 and u3 done); run B resumes u1, whose first attempt dies after two
    questions and whose retry asks four and finishes; run C (`--fresh`) redoes u3."""
    from datetime import datetime, timedelta

    from benchrun.storage.store import migrate

    con = duckdb.connect(str(tmp_path / "results.duckdb"))
    migrate(con)
    clock = iter(datetime(2026, 1, 1) + timedelta(seconds=i) for i in range(1000))
    asked = {"A": [("u1", 1), ("u2", 1), ("u3", 1), ("u1", 2), ("u2", 2), ("u3", 2), ("u1", 3)],
             "B": [("u1", 1), ("u1", 2), ("u1", 1), ("u1", 2), ("u1", 3), ("u1", 4)],
             "C": [("u3", 1)]}
    done = {"A": ["u2", "u3"], "B": ["u1"], "C": ["u3"]}
    for run_id in "ABC":
        started = next(clock)
        con.execute("INSERT INTO runs VALUES (?, 's.bench', 'h', ?, ?, 'finished', 't', 'host', 1, 3, 0, NULL)",
                    [run_id, started, started])
        con.executemany("INSERT INTO planned_units (run_id, unit_id, kind, block, params) VALUES (?, ?, 'trial', 'b', '{}')",
                        [[run_id, unit] for unit in ("u1", "u2", "u3")])
        for unit, evaluation in asked[run_id]:
            con.execute("INSERT INTO stop_decisions (run_id, unit_id, block, evaluation, decision, valid, created) "
                        "VALUES (?, ?, 'b', ?, 'continue', true, ?)", [run_id, unit, evaluation, next(clock)])
        for unit in done[run_id]:
            con.execute("INSERT INTO units VALUES (?, ?, 'trial', 'b', '{}', 'done', 1, NULL, ?, '{}')",
                        [run_id, unit, next(clock)])
    counted = con.execute("SELECT unit_id, run_id, list(evaluation ORDER BY created) FROM current_stop_decisions "
                          "GROUP BY ALL ORDER BY unit_id").fetchall()
    assert counted == [("u1", "B", [1, 2, 3, 4]), ("u2", "A", [1, 2]), ("u3", "C", [1])]
    assert con.execute("SELECT count(*) FROM stop_decisions").fetchone() == (14,)  # every question is kept
