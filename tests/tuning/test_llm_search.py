"""`llm(...)` searches against a scripted OpenAI-compatible server on loopback (real HTTP):
each proposal is stored and classed, an invalid one is replaced and counted, the prompt
carries the space, constraints and history, and a search killed with SIGKILL resumes
with no repeated model call and no repeated trial."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from benchrun.tuning.search.llm_prompt import DUPLICATE, MALFORMED, MISSING, OUTSIDE, check_item, constraints, read_answer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from chat_server import ChatServer  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SCRIPTED_KEY": "not-a-secret"}


def Proposer(answers=(), default=None) -> ChatServer:
    """Answers the k-th chat request with `answers[k]`, or `default(k)` past the script."""
    answers = list(answers)
    return ChatServer(lambda body, k: answers[k] if k < len(answers) else default(k),
                      usage=lambda body, k, texts: {"prompt_tokens": 100 + k, "completion_tokens": 20})


@pytest.fixture
def proposer():
    servers = []

    def start(answers=(), default=None):
        servers.append(Proposer(answers, default))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def spec_text(url: str, samples: int, batch: int, rows: int = 2000, extra: str = "", history: int = 5) -> str:
    return f"""
model scripted = openai("scripted", base_url = "{url}", api_key_env = "SCRIPTED_KEY", max_attempts = 1)

tune "llm" {{
  datasets    [synthetic(rows = {rows}, features = 8, task = regression)]
  algorithms  [linear_regression]
  llm(scripted, samples = {samples}, batch = {batch}, history = {history}, predict_cost = true) {{
    batch_size    = [8, 16, 32]
    learning_rate = loguniform(0.001, 0.1)
  }}
  epochs      1
  evaluate    every 50 steps
  stop        when memory_mb > 4GiB or step_time_ms > 1s
  stop        when no_improvement(val_loss, evaluations = 50)
  executor    local(max_concurrent = 1)
  seed        5
  {extra}
}}
"""


def run(spec: Path, db: Path) -> subprocess.Popen:
    code = "from benchrun.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, "run", str(spec), "--db", str(db)], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def canonical(config: dict) -> str:
    return json.dumps(config, sort_keys=True, separators=(",", ":"))


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def trained(db: Path) -> dict[str, dict]:
    """unit id -> the configuration its done trial trained."""
    try:
        rows = query(db, "SELECT unit_id, summary FROM units WHERE status = 'done'")
    except duckdb.Error:  # not made yet, or the writer holds it this instant
        return {}
    return {unit: {k: v for k, v in json.loads(summary)["config"].items() if k in ("batch_size", "learning_rate")}
            for unit, summary in rows}


# ---------------------------------------------------------------- reading one answer


def test_each_slot_of_an_answer_is_classed_against_the_space_and_the_tried_ones():
    space = {"batch_size": {"kind": "choice", "args": [[8, 16]]}, "lr": {"kind": "loguniform", "args": [0.001, 0.1]},
             "k": {"kind": "randint", "args": [1, 4]}}
    items = read_answer('Sure! ```json\n[{"batch_size": 16.0, "lr": 0.01, "k": 2, "predicted_memory_mb": 3},'
                        ' {"batch_size": 12, "lr": 0.01, "k": 2}, {"batch_size": 8, "lr": 0.5, "k": 2},'
                        ' {"batch_size": 8, "lr": 0.01, "k": 2.5}, {"batch_size": 8, "lr": 0.01, "k": 4},'
                        ' {"batch_size": 8}, [8, 0.01], {"batch_size": true, "lr": 0.01, "k": 1}]\n```')
    checked = [check_item(item, space, {'{"batch_size":8,"k":4,"lr":0.01}'}) for item in items]
    assert [c.reason for c in checked] == [None, OUTSIDE, OUTSIDE, OUTSIDE, DUPLICATE, MALFORMED, MALFORMED, OUTSIDE]
    assert checked[0].config == {"batch_size": 16, "lr": 0.01, "k": 2} and type(checked[0].config["batch_size"]) is int
    assert checked[0].predictions == {"predicted_memory_mb": 3.0}
    # No list: the objects in the text; nothing readable: None.
    assert read_answer('first {"batch_size": 8} then {"batch_size": 16}') == [{"batch_size": 8}, {"batch_size": 16}]
    assert read_answer("I cannot help with that.") is None


def test_the_constraints_are_the_stop_rules_on_system_metrics_each_as_the_reason_it_gives():
    memory = {"rule": "compare", "metric": "memory_mb", "op": ">", "value": 512.0}
    step = {"rule": "compare", "metric": "step_time_ms", "op": ">", "value": 20.0}
    learning = {"rule": "no_improvement", "metric": "val_loss", "evaluations": 3, "min_delta": 0.0}
    loss = {"rule": "compare", "metric": "val_loss", "op": ">", "value": 10.0}
    assert constraints({"rule": "any", "rules": [memory, learning, step, loss]}) == ("memory_mb > 512", "step_time_ms > 20")
    assert constraints({"rule": "all", "rules": [memory, step]}) == ("(memory_mb > 512 and step_time_ms > 20)",)
    assert constraints({"rule": "all", "rules": [memory, loss]}) == ()  # not a bound on cost alone
    assert constraints(None) == () and constraints(learning) == ()


# ---------------------------------------------------------------- a search, end to end


def test_every_proposal_is_stored_classed_and_an_invalid_one_replaced(tmp_path, proposer):
    server = proposer(answers=[
        'Here you go:\n[{"batch_size": 16, "learning_rate": 0.01, "predicted_step_time_ms": 2.5, "predicted_memory_mb": 1},'
        ' {"batch_size": 64, "learning_rate": 0.01}, {"batch_size": 16, "learning_rate": 0.01}, "fast please"]',
        '[{"batch_size": 32.0, "learning_rate": 0.05}]',
    ])
    spec = tmp_path / "llm.bench"
    spec.write_text(spec_text(server.url, samples=8, batch=4))
    db = tmp_path / "results.duckdb"
    proc = run(spec, db)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err

    assert len(server.prompts) == 2  # one request per round of 4
    rows = query(db, "SELECT round, slot, valid, reason, proposed, config, tokens_in, tokens_out, "
                     "predicted_step_time_ms, predicted_memory_mb, unit_id, completion FROM proposals ORDER BY round, slot")
    assert [(r[0], r[1]) for r in rows] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)]
    assert [r[3] for r in rows] == [None, OUTSIDE, DUPLICATE, MALFORMED, None, MISSING, MISSING, MISSING]
    assert [r[2] for r in rows] == [True, False, False, False, True, False, False, False]
    assert json.loads(rows[1][4]) == {"batch_size": 64, "learning_rate": 0.01}  # what was proposed is kept as is
    assert [(r[6], r[7]) for r in rows] == [(100, 20), (None, None), (None, None), (None, None),
                                            (101, 20), (None, None), (None, None), (None, None)]  # per request
    assert (rows[0][8], rows[0][9]) == (2.5, 1.0) and rows[4][8] is None
    assert rows[4][11] == '[{"batch_size": 32.0, "learning_rate": 0.05}]'

    # Each trial trained its row's configuration: the valid proposals as proposed, the
    # others replaced by configurations drawn from the space, none tried twice.
    configs = trained(db)
    assert len(configs) == 8
    for row in rows:
        assert configs[row[10]] == json.loads(row[5])
    assert configs[rows[0][10]] == {"batch_size": 16, "learning_rate": 0.01}
    assert configs[rows[4][10]] == {"batch_size": 32, "learning_rate": 0.05}
    assert len({json.dumps(c, sort_keys=True) for c in configs.values()}) == 8
    for config in configs.values():
        assert config["batch_size"] in (8, 16, 32) and 0.001 <= config["learning_rate"] <= 0.1

    # The prompt: the problem, the space with its bounds, the constraints (not the ML
    # rule), and in round 1 the history of all four trials of round 0.
    first, second = server.prompts
    assert "linear_regression" in first and "2000 rows, 8 features, regression" in first
    assert 'batch_size: one of [8, 16, 32]' in first and "learning_rate: a number from 0.001 to 0.1 (log scale)" in first
    assert "memory_mb > 4096 or step_time_ms > 1000" in first and "no_improvement" not in first
    assert "No trials have finished yet." in first and "predicted_step_time_ms" in first
    assert "4 so far" in second
    for row in rows[:4]:
        assert canonical(json.loads(row[5])) in second

    # report search scores the model's cost predictions beside the finished-trials baseline:
    # the model predicted one trial; the baseline every trial of round 1 (round 0 had no history).
    code = "from benchrun.cli import main; main()"
    report = subprocess.run([sys.executable, "-c", code, "report", "search", "--db", str(db)], env=ENV,
                            capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    table = report.stdout[report.stdout.index("cost predictions scored"):]
    lines = [line for line in table.splitlines() if "synthetic" in line]
    assert len(lines) == 2 and "finished trials" in lines[0] and "llm" in lines[1]
    assert lines[0].split("│")[5].strip() == "8" and lines[0].split("│")[6].strip() == "4"  # trials, predicted
    assert lines[1].split("│")[6].strip() == "1"


@pytest.mark.slow  # a real run trained, killed and resumed: a minute on a loaded 2-core machine
def test_a_search_killed_mid_way_resumes_with_no_repeated_model_call_or_trial(tmp_path, proposer):
    samples, batch = 10, 2

    def answer(k):  # round k: two configurations no other round proposes
        return json.dumps([{"batch_size": [8, 16, 32][(k + s) % 3], "learning_rate": round(0.001 * (1.5 ** (2 * k + s)), 6)}
                           for s in range(batch)])

    server = proposer(default=answer)
    spec = tmp_path / "llm.bench"
    spec.write_text(spec_text(server.url, samples=samples, batch=batch, rows=20000, history=samples))  # every trial shown
    db = tmp_path / "results.duckdb"

    killed = run(spec, db)
    deadline = time.monotonic() + 240
    while len(trained(db)) < 3:
        assert killed.poll() is None, killed.communicate()
        assert time.monotonic() < deadline, "the search made no progress"
        time.sleep(0.2)
    os.killpg(killed.pid, signal.SIGKILL)  # the driver, its pool and the fork server at once
    killed.wait()
    before = trained(db)
    asked_before = len(server.prompts)
    # A round whose answer the kill caught before it was stored is asked again; no other.
    stored_rounds = query(db, "SELECT count(DISTINCT round) FROM proposals")[0][0]
    assert 3 <= len(before) < samples and asked_before - stored_rounds in (0, 1)

    resumed = run(spec, db)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    after = trained(db)
    assert len(after) == samples
    assert query(db, "SELECT count(*), count(DISTINCT unit_id) FROM units WHERE status = 'done'") == [(samples, samples)]
    assert all(after[unit] == before[unit] for unit in before)  # finished trials are not run again

    # The resumed search read the rounds stored before the kill back from the results file
    # and asked only for the rest.
    assert len(server.prompts) - asked_before == samples // batch - stored_rounds
    assert query(db, "SELECT count(*), count(DISTINCT unit_id), count(DISTINCT (round, slot)) FROM proposals") == [(samples,) * 3]
    # ... and it continued the same history: each round after the kill was shown every
    # trial that had finished before it.
    assert len(set(server.prompts[asked_before:])) == len(server.prompts) - asked_before
    for prompt in server.prompts[asked_before:]:
        for config in before.values():
            assert canonical(config) in prompt
    # Every trial trained what its round's stored answer proposed: the server's k-th answer
    # for each round stored before the kill, and those it gave after the resume (a round
    # asked again after the kill got the next answer, not the one the kill caught).
    stored = [*range(stored_rounds), *range(asked_before, len(server.prompts))]
    assert len(stored) == samples // batch
    expected = {json.dumps(c, sort_keys=True) for k in stored for c in json.loads(answer(k))}
    assert {json.dumps(c, sort_keys=True) for c in after.values()} == expected


@pytest.mark.ray  # the run starts its own local Ray
def test_on_ray_a_round_waits_for_the_trials_before_it(tmp_path, proposer):
    """Ray Tune asks the searcher again while a study waits: round 1 is asked only after
    both trials of round 0 have ended, with two trials running at once."""
    def answer(k):
        return json.dumps([{"batch_size": 8 * 2 ** s, "learning_rate": 0.002 * (k + 1) * (s + 1)} for s in range(2)])

    server = proposer(default=answer)
    spec = tmp_path / "llm.bench"
    spec.write_text(spec_text(server.url, samples=4, batch=2).replace("local(max_concurrent = 1)", "ray(max_concurrent = 2)"))
    db = tmp_path / "results.duckdb"
    proc = run(spec, db)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert len(server.prompts) == 2
    assert "2 so far" in server.prompts[1]
    for config in json.loads(answer(0)):  # round 1 was shown both trials of round 0
        assert canonical(config) in server.prompts[1]
    proposed = sorted(canonical(c) for k in range(2) for c in json.loads(answer(k)))
    assert sorted(canonical(c) for c in trained(db).values()) == proposed


def test_the_embedded_model_proposes_through_the_whole_path(tmp_path, local_model):
    """`llm(local())`: one real round with SmolLM2 served by llama.cpp. Whatever it answers
    is a result: each slot is stored, valid or classed, and every trial trains."""
    spec = tmp_path / "llm.bench"
    spec.write_text(spec_text("unused", samples=2, batch=2).replace(
        'model scripted = openai("scripted", base_url = "unused", api_key_env = "SCRIPTED_KEY", max_attempts = 1)\n', "")
        .replace("llm(scripted,", "llm(local(),").replace("history = 5, predict_cost = true", "max_tokens = 96"))
    db = tmp_path / "results.duckdb"
    proc = run(spec, db)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    rows = query(db, "SELECT round, slot, valid, reason, completion, config, tokens_in, unit_id FROM proposals ORDER BY slot")
    assert [(r[0], r[1]) for r in rows] == [(0, 0), (0, 1)]
    assert all(r[4] for r in rows) and rows[0][6] > 0  # the model's answer and its request's tokens
    assert all(r[2] == (r[3] is None) for r in rows)
    configs = trained(db)
    assert {r[7]: json.loads(r[5]) for r in rows} == configs
