"""No finished result is lost: the real run loop and codegen workload against a scripted
OpenAI-compatible server on loopback that answers at once, at high concurrency, with a
reader holding the results file, and with writes that fail."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchrun.engine.plan import build_plan
from benchrun.engine.run import run_plan
from benchrun.grammar import load_spec
from benchrun.storage import Store, connect

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))
from fault_server import FaultServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = 80
SAMPLES = 3


def problem_pack(folder: Path, count: int = PROBLEMS) -> Path:
    """A HumanEval-format pack of tiny problems (the format's own fields, no download)."""
    path = folder / "pack.jsonl"
    with path.open("w") as out:
        for i in range(count):
            out.write(json.dumps({
                "task_id": f"Tiny/{i}", "entry_point": f"f{i}",
                "prompt": f"def f{i}(x):\n    \"\"\"Return x + {i}.\"\"\"\n",
                "canonical_solution": f"    return x + {i}\n",
                "test": f"def check(candidate):\n    assert candidate(1) == {i + 1}\n",
            }) + "\n")
    return path


def write_spec(folder: Path, url: str, samples: int = SAMPLES, concurrency: int = 48) -> Path:
    spec = folder / "fast.bench"
    spec.write_text(f"""
benchmark "fast" {{
  tasks       humaneval("{problem_pack(folder)}")
  models      [openai("fault-model", base_url = "{url}", api_key_env = "FAULT_KEY")]
  samples     {samples}
  sandbox     local()
  concurrency {concurrency}
}}
""")
    return spec


def counts(db: Path) -> tuple:
    with connect(db, read_only=True) as con:
        return con.execute("""
            SELECT (SELECT count(*) FROM units WHERE status = 'done'),
                   (SELECT count(DISTINCT unit_id) FROM units WHERE status = 'done'),
                   (SELECT count(*) FROM samples),
                   (SELECT count(*) FROM samples s WHERE NOT EXISTS
                       (SELECT 1 FROM units u WHERE u.run_id = s.run_id AND u.unit_id = s.unit_id))
        """).fetchone()


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("FAULT_KEY", "not-a-secret")
    with FaultServer() as fast:  # answers prose at once: no sandbox run, only the store is busy
        yield fast


@pytest.mark.parametrize("repeat", range(3))
def test_hundreds_of_instant_answers_at_high_concurrency_are_all_written(tmp_path, server, repeat):
    db = tmp_path / "r.duckdb"
    plan = build_plan(load_spec(write_spec(tmp_path, server.url)))
    summary = run_plan(plan, db, flush_interval=0.05)
    planned = PROBLEMS * SAMPLES
    assert (summary.status, summary.done, summary.failed, summary.not_run) == ("finished", planned, 0, 0), summary.error
    assert counts(db) == (planned, planned, planned, 0)


READER = """
import sys, time, duckdb
# Grab the file read-only as often as the run lets go of it, and keep it a while.
for _ in range(int(sys.argv[2])):
    while True:
        try:
            con = duckdb.connect(sys.argv[1], read_only=True)
            break
        except duckdb.Error:
            time.sleep(0.005)
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
    con.close()
    time.sleep(0.02)
"""


def test_a_reader_holding_the_file_delays_writes_but_loses_none(tmp_path, server):
    db = tmp_path / "r.duckdb"
    plan = build_plan(load_spec(write_spec(tmp_path, server.url)))
    run_plan(build_plan(load_spec(write_spec(tmp_path, server.url, samples=1))), db)  # the file exists
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), "4", "0.7"], stdout=subprocess.PIPE, text=True)
    try:
        summary = run_plan(plan, db, flush_interval=0.05)
    finally:
        held = reader.communicate(timeout=120)[0].split()
    assert held == ["held"] * 4
    planned = PROBLEMS * SAMPLES
    assert (summary.status, summary.done + summary.skipped) == ("finished", planned), summary.error
    assert counts(db) == (planned, planned, planned, 0)


DRIVER = """
import resource, signal, sys
sys.path.insert(0, sys.argv[3])
# Writes past this size fail with EFBIG, as on a full disk (SIGXFSZ would kill instead).
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
from runloop_driver import main
sys.argv = [sys.argv[0], sys.argv[1], "200", "--steps", "300", "--concurrency", "4", "--flush", "0.05", "--retry-delay", "0.01"]
sys.exit(main())
"""


def test_a_full_disk_stops_the_run_with_a_message_and_resume_runs_only_what_was_lost(tmp_path):
    db = tmp_path / "r.duckdb"
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'tests' / 'engine'}", "PATH": "/usr/bin:/bin"}
    Store(db)  # the file with its schema, before the limit applies
    size = db.stat().st_size
    full = subprocess.run([sys.executable, "-c", DRIVER, str(db), str(size + 2_000_000), str(ROOT / "tests" / "engine")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert full.returncode == 1, full.stderr
    summary = json.loads(full.stdout)
    assert summary["status"] == "failed"
    assert "free disk space" in summary["error"] and "run the same command again" in summary["error"]
    # Everything reported done is in the file, exactly once; the rest runs on resume.
    with connect(db, read_only=True) as con:
        done_before = con.execute("SELECT count(DISTINCT unit_id) FROM units WHERE status = 'done'").fetchone()[0]
    assert summary["done"] == done_before < 200
    resumed = subprocess.run([sys.executable, str(ROOT / "tests" / "engine" / "runloop_driver.py"), str(db), "200",
                              "--steps", "300", "--concurrency", "4"], env=env, capture_output=True, text=True, timeout=300)
    again = json.loads(resumed.stdout)
    assert (again["status"], again["skipped"], again["done"]) == ("finished", done_before, 200 - done_before)
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT unit_id) FROM units WHERE status = 'done'").fetchone() == (200, 200)
        assert con.execute("SELECT count(*), count(DISTINCT unit_id) FROM samples").fetchone() == (200, 200)
        per_unit = con.execute("SELECT DISTINCT count(*) FROM metrics m JOIN unit_results u USING (run_id, unit_id) "
                               "GROUP BY unit_id").fetchall()
    assert per_unit == [(600,)]  # 300 steps x 2 metrics: no unit's metrics lost or doubled
