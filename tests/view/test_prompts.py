"""The prompt as sent, stored once and shown on the sample's page: a real run whose model is a
scripted OpenAI-compatible server on loopback (which records what it was sent), the local
sandbox and a real DuckDB file; and a file from before prompts were stored, which still opens."""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import duckdb
from starlette.testclient import TestClient

from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec
from benchrun.prompts import prompt_hash
from benchrun.storage.store import connect
from benchrun.view.app import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
from fault_server import FaultServer

TASK = Path(__file__).parents[2] / "tasks" / "inlining" / "onnx-logreg-iris"
SPEC = """
benchmark "prompts" {
  tasks       ["%s"]
  models      [openai("fault-model", base_url = "%s", api_key_env = "FAULT_KEY")]
  strategies  [zero_shot, tuned]
  samples     2
  max_tokens  200
  sandbox     local()
  concurrency 1
}
"""


def sql(db: Path, query: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def test_each_prompt_is_stored_once_as_sent_and_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "not-a-secret")
    spec, db = tmp_path / "p.bench", tmp_path / "p.duckdb"
    with FaultServer(honour_n=True) as server:
        spec.write_text(SPEC % (TASK, server.url))
        assert run_plan(build_plan(load_spec(spec)), db).status == "finished"
        sent = [body["messages"] for _, body in server.requests]
        assert len(sent) == 2  # one request per strategy, both samples from it
        # a fresh run of the same spec sends the same prompts again: still stored once
        assert run_plan(build_plan(load_spec(spec)), db, fresh=True, use_cache=False).status == "finished"
    stored = {h: (json.loads(m), t) for h, m, t in sql(db, "SELECT prompt_hash, messages, tokens FROM prompts")}
    assert sorted(map(json.dumps, (messages for messages, _ in stored.values()))) == sorted(map(json.dumps, sent))
    assert all(prompt_hash(messages) == h and tokens > 0 for h, (messages, tokens) in stored.items())
    # every sample names a stored prompt: 2 strategies x 2 samples x 2 runs
    assert sql(db, "SELECT count(*), count(p.prompt_hash) FROM samples s LEFT JOIN prompts p USING (prompt_hash)") == [(8, 8)]
    (unit_id, hash_), = sql(db, "SELECT unit_id, prompt_hash FROM current_samples WHERE strategy = 'tuned' LIMIT 1")
    page = TestClient(create_app(str(db)), base_url="http://127.0.0.1").get(f"/samples/{unit_id}")
    assert page.status_code == 200 and f'<code id="prompt-hash">{hash_}</code>' in page.text
    roles = re.findall(r'<h3 class="role">(.*?)</h3>', page.text)
    contents = [html.unescape(c) for c in re.findall(r'<pre class="output message">(.*?)</pre>', page.text, re.S)]
    assert list(zip(roles, contents)) == [(m["role"], m["content"]) for m in stored[hash_][0]]
    assert "not recorded" not in page.text


def test_a_file_without_the_prompts_table_still_shows_its_samples(tmp_path):
    """A results file of schema version 4 (before prompts were stored), opened read-only as the view does."""
    sys.path.insert(0, str(Path(__file__).parent))
    from view_fixtures import make_results

    spec, db = make_results(tmp_path)
    with connect(db) as con:
        con.execute("DROP TABLE prompts")
        con.execute("DELETE FROM schema_version WHERE version >= 5")
    (unit_id,) = sql(db, "SELECT unit_id FROM samples LIMIT 1")[0]
    page = TestClient(create_app(str(db)), base_url="http://127.0.0.1").get(f"/samples/{unit_id}")
    assert page.status_code == 200 and 'id="prompt-missing"' in page.text and "not recorded" in page.text
    assert sql(db, "SELECT max(version) FROM schema_version") == [(4,)]  # the view did not upgrade the file
