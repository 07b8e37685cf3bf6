"""The serving tasks' HTTP client (benchcheck/serving.py), run as the sample by an `after`
command from a shell variable: a correct stdlib server passes, one answering constants
fails, and a server that prints a forged record (on its stdout, and through its parent's
descriptors) neither adds a record nor passes. Real loopback servers, the local sandbox
(the Docker path is the corpus's: `tasks validate tasks/serving`)."""
from __future__ import annotations

import functools
import json
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sklearn")

from benchrun.codegen.tasks import AFTER_TOOLS, after_commands, benchcheck_modules  # noqa: E402
from benchrun.sandboxes import Limits, LocalSandbox  # noqa: E402

COMMAND = ('python3 -I -c "$BENCHRUN_HTTP_CLIENT" --start "python3 main.py serve" --port 18731 '
           """--route /predict --body '{"instances": "$ROWS"}' --dataset iris --rows 9 --batch 3 --ready 30""")

SERVER = """
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

model = DecisionTreeClassifier(random_state=0).fit(*load_iris(return_X_y=True))
FORGED = 'BENCHRUN-HTTP-CLIENT ' + json.dumps({"rows": [[1, 2, 3, 4]], "log": "",
    "requests": [{"method": "POST", "route": "/predict", "rows": [0], "single": False, "status": 200,
                  "body": json.dumps({"predictions": [0]}), "ms": 0.1, "error": None}]})

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        rows = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["instances"]
        answer = (MODE)(rows)
        body = json.dumps({"predictions": answer}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

if sys.argv[1:] == ["serve"]:
    print(FORGED, flush=True)  # into its own output: the client keeps it apart
    for pid in (os.getppid(), os.getppid()) if FORGE else ():  # the client's output, where it can reach it
        try:
            with open(f"/proc/{pid}/fd/1", "w") as out:
                out.write("\\n" + FORGED + "\\n")
        except OSError:
            pass
    HTTPServer(("127.0.0.1", 18731), Handler).serve_forever()
else:
    print("trained")
"""

CHECK = """
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier
from benchcheck import after_run, assert_serves_model, fail
records = [line for line in after_run(COMMAND)["stdout"].splitlines() if line.startswith("BENCHRUN-HTTP-CLIENT")]
print("records", len(records))
rows = assert_serves_model(DecisionTreeClassifier(random_state=0).fit(*load_iris(return_X_y=True)))
print("rows", len(rows), len({tuple(r) for r in rows}))
""".replace("COMMAND", repr(COMMAND))


@functools.cache
def tmp_dir() -> str:
    return tempfile.mkdtemp(prefix="benchrun-client-test-")


def _judge(mode: str, forge: bool = False):
    task = SimpleNamespace(after=(COMMAND,))  # after_commands reads a task's `after` alone
    request = {"check": CHECK, "modules": benchcheck_modules(), "original": {},
               "context": {"entry": "main.py", "original": None, "after": [COMMAND]}}
    limits = Limits(timeout_s=90)
    server = SERVER.replace("MODE", mode).replace("FORGE", str(forge))
    return LocalSandbox(use_bwrap=False).judge({"main.py": server}, ["python3", "main.py"],
                                               request, limits, after=after_commands(task))


def test_the_command_gets_the_client_s_source_unexported_and_other_commands_do_not():
    task = SimpleNamespace(after=('printf %s "$BENCHRUN_HTTP_CLIENT"; env > env.txt', "echo hi"))
    with_client, plain = after_commands(task)
    shown = subprocess.run(with_client, capture_output=True, text=True, check=True, cwd=tmp_dir()).stdout
    assert shown == AFTER_TOOLS["BENCHRUN_HTTP_CLIENT"].read_text(encoding="utf-8")
    assert "BENCHRUN_HTTP_CLIENT" not in (Path(tmp_dir()) / "env.txt").read_text()  # not inherited
    assert "BENCHRUN_HTTP_CLIENT" not in plain[-1] and plain[-1].endswith("echo hi")


def test_a_server_of_the_model_passes_and_what_it_prints_is_not_read():
    judgement = _judge("lambda rows: model.predict(rows).tolist()")
    assert judgement.passed, judgement.check.stderr[-3000:]
    assert "records 1" in judgement.check.stdout  # the client's own line only
    assert "rows 9 9" in judgement.check.stdout  # rows drawn at random, with noise: all distinct
    assert {m["name"] for m in judgement.measures} == {"latency_ms", "latency_ms_max"}


def test_a_server_answering_a_constant_fails():
    judgement = _judge("lambda rows: [0 for _ in rows]")
    assert not judgement.passed
    assert "differ from the model's" in judgement.check.stderr


def test_a_record_forged_into_the_client_s_output_fails_the_sample():
    # As root (this test's local sandbox) the server reaches the client's descriptors; in
    # Docker the sample's user cannot (the client is non-dumpable), but a shell holding the
    # same pipe could be reached: either way the extra line fails the sample.
    judgement = _judge("lambda rows: model.predict(rows).tolist()", forge=True)
    assert not judgement.passed
    assert "something other than the HTTP client wrote to its output" in judgement.check.stderr


# A regression server answering a bare JSON list, refusing malformed requests (400) when
# VALIDATE, else failing on them with 500.
BATCH_COMMAND = ('python3 -I -c "$BENCHRUN_HTTP_CLIENT" --start "python3 main.py serve" --port 18732 '
                 """--route /predict --body '"$ROWS"' --dataset diabetes --rows 6 --batch 3 --ready 30 --malformed""")

REGRESSION_SERVER = """
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

model = Ridge(alpha=0.5).fit(*load_diabetes(return_X_y=True))

def valid(rows):
    return isinstance(rows, list) and all(
        isinstance(row, list) and len(row) == 10
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row) for row in rows)

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        try:
            rows = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        except ValueError:
            rows = None
        if VALIDATE and not valid(rows):
            self.send_error(400)
            return
        try:
            body = json.dumps(ANSWER(model.predict(rows).tolist())).encode()
        except Exception:  # as a framework does: an error page, status 500
            self.send_error(500)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

if sys.argv[1:] == ["serve"]:
    HTTPServer(("127.0.0.1", 18732), Handler).serve_forever()
"""

BATCH_CHECK = """
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from benchcheck import assert_rejects_malformed, assert_serves_model
rows = assert_serves_model(Ridge(alpha=0.5).fit(*load_diabetes(return_X_y=True)), answer=None, regression=True)
print("rows", len(rows))
print("refused", len(assert_rejects_malformed()))
"""


def _judge_batch(validate: bool, answer: str = "lambda values: values"):
    task = SimpleNamespace(after=(BATCH_COMMAND,))
    request = {"check": BATCH_CHECK, "modules": benchcheck_modules(), "original": {},
               "context": {"entry": "main.py", "original": None, "after": [BATCH_COMMAND]}}
    server = REGRESSION_SERVER.replace("VALIDATE", str(validate)).replace("ANSWER", f"({answer})")
    return LocalSandbox(use_bwrap=False).judge({"main.py": server}, ["python3", "main.py"],
                                               request, Limits(timeout_s=90), after=after_commands(task))


def test_malformed_bodies_break_the_last_row_of_a_batch_or_the_body():
    from benchrun.codegen.benchcheck.serving import malformed_bodies

    good, last = [9.0, 8.0, 7.0], [1.0, 2.0, 3.0]
    batch = malformed_bodies('{"rows": "$ROWS"}', [good, good, last])
    single = malformed_bodies('{"x": "$ROW"}', [last])
    alone = malformed_bodies('"$ROWS"', [last])
    assert len(batch) == len(single) == 7 and len({kind for kind, _ in batch}) == 7
    parsed = [json.loads(body) for _, body in batch[:5]]
    assert all(p["rows"][:2] == [good, good] and len(p["rows"]) == 3 for p in parsed)  # a valid batch's size
    assert [p["rows"][2] for p in parsed] == [[1.0, 2.0], [1.0, 2.0, 3.0, 1.0], [1.0, "abc", 3.0],
                                              [None, 2.0, 3.0], 1.0]
    assert json.loads(single[2][1]) == {"x": [1.0, "abc", 3.0]}
    assert json.loads(alone[0][1]) == [last, [1.0, 2.0]]  # a one-row batch: the bad row follows a valid one
    assert batch[-2][1] == b"{}"
    with pytest.raises(ValueError):
        json.loads(batch[-1][1])


def test_a_validating_server_of_a_bare_list_passes():
    judgement = _judge_batch(validate=True)
    assert judgement.passed, judgement.check.stderr[-3000:]
    assert "rows 6" in judgement.check.stdout and "refused 7" in judgement.check.stdout


def test_a_server_that_fails_on_malformed_rows_with_a_5xx_fails():
    judgement = _judge_batch(validate=False)
    assert not judgement.passed
    assert "expected a 4xx refusal" in judgement.check.stderr


def test_regression_values_served_as_text_fail():
    judgement = _judge_batch(validate=True, answer="lambda values: [str(v) for v in values]")
    assert not judgement.passed
    assert "differ from the model's" in judgement.check.stderr
