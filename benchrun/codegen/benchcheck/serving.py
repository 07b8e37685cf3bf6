"""Serving tasks: the HTTP client that exercises the program's server (run as the sample)
and the check's reading of what it recorded (in the judge).

The client. A serving task's `after` command runs this file's source, never a file of the
work dir (the program could have rewritten it):

    python3 -I -c "$BENCHRUN_HTTP_CLIENT" --start "python3 train.py serve" --port 8000 \\
        --route /predict --body '{"instances": "$ROWS"}' --dataset iris

(benchrun.codegen.tasks hands the source to the command in that shell variable). As the
sample, on the container's own loopback, it makes itself non-dumpable (the server, the
same user, can then neither read nor write its memory or descriptors), draws rows of a
bundled scikit-learn data set at random (every class, each feature scaled by a random
factor within --noise: a server cannot know them beforehand), starts the server command
in a session of its own with its output in an unlinked file, waits for the port, sends the
requests ($ROWS: --batch rows each; $ROW: one row each; with --malformed, after the
first of them, one request per kind of malformed_bodies), stops the server and prints one
line, RECORD_MARK and JSON: the rows, each request's status, body and time. The server
never holds this process's stdout, so the record is the client's alone.

The check. `served_predictions` reads that record from the sandbox's record of the `after`
command and `assert_serves_model` compares the answers with the reference model's
predictions on the very rows sent, and measures the request latency;
`assert_rejects_malformed` requires a 4xx answer to each malformed request.
"""
from __future__ import annotations

import json
import math
import statistics

RECORD_MARK = "BENCHRUN-HTTP-CLIENT"
MAX_BODY = 8192  # of each answer, kept in the record
LOG_TAIL = 3000  # of the server's output, kept in the record


# ---------------------------------------------------------------- the check's side


def client_command() -> str:
    """The task's one `after` command that runs this file's client."""
    from .judge import _JUDGE, fail

    found = [c for c in _JUDGE.get("after") or [] if "$BENCHRUN_HTTP_CLIENT" in c]
    if len(found) != 1:
        fail(f"the task has {len(found)} after commands running the HTTP client, expected one")
    return found[0]


def _record(command: str | None) -> dict:
    """The client's record from the `after` command's output; fail() if the client did not
    finish, the server never listened, or another process wrote into that output."""
    from .judge import after_run, fail

    run = after_run(command or client_command())
    lines = (run["stdout"] or "").splitlines()
    if run["rc"] != 0 or not any(line.startswith(RECORD_MARK + " ") for line in lines):
        fail(f"the HTTP client did not finish (exit code {run['rc']}):\n{(run['stderr'] or '')[-2000:]}")
    # The client prints its record line and nothing else: anything more was written by
    # another process into its output (a forgery), which fails the sample.
    if len(lines) != 1 or not lines[0].startswith(RECORD_MARK + " "):
        fail("something other than the HTTP client wrote to its output")
    record = json.loads(lines[0][len(RECORD_MARK) + 1:])
    record.setdefault("log", "")
    if record.get("error"):
        fail(f"{record['error']}; the server printed:\n{record['log'][-2000:]}")
    return record


def assert_rejects_malformed(command: str | None = None) -> list:
    """Every malformed request the client sent (its --malformed option: one per kind of
    malformed_bodies) was answered with a 4xx status, not a 5xx, a 2xx or a dropped
    connection. Returns the kinds sent."""
    from .judge import fail

    record = _record(command)
    sent = record.get("malformed") or []
    if not sent:
        fail("the HTTP client sent no malformed request (the task's after command lacks --malformed)")
    for request in sent:
        if request.get("error"):
            fail(f"a request with {request['kind']} got {request['error']}; the server printed:\n"
                 f"{record['log'][-2000:]}")
        if not 400 <= request["status"] < 500:
            fail(f"a request with {request['kind']} answered HTTP {request['status']}, expected a 4xx refusal: "
                 f"{request['body'][:300]!r}")
    return [request["kind"] for request in sent]


def malformed_bodies(template: str, rows: list[list]) -> list[tuple[str, bytes]]:
    """(kind, request body) of requests a validating server refuses, built from the --body
    template and valid rows (a batch; one row for a "$ROW" template): the last row one
    value short or long, with a text or a null value, or a number where it belongs (in a
    batch the size of a valid one, so only its rows tell it apart), an object without the
    rows, and a body that is no JSON."""
    single = '"$ROW"' in template
    row, kept = rows[-1], rows[:-1] if len(rows) > 1 else rows
    bad_rows = {"a row one value short": row[:-1], "a row one value long": row + row[:1],
                "a text value in a row": [row[0], "abc", *row[2:]], "a null value in a row": [None, *row[1:]],
                "a number where a row belongs": row[0]}
    bodies = [(kind, template.replace('"$ROW"' if single else '"$ROWS"',
                                      json.dumps(bad if single else [*kept, bad])).encode())
              for kind, bad in bad_rows.items()]
    return [*bodies, ("an empty JSON object", b"{}"), ("a body that is no JSON", b"{not json")]


def served_predictions(command: str | None = None, answer: str | None = "predictions") -> tuple[list, list, list]:
    """(rows sent, the server's answers, each request's milliseconds) from the `after`
    command `command` (this file's client; default: client_command()); fail() with the reason (the server's output)
    when it did not serve every request with status 200 and a JSON object holding
    `answer` (None: the JSON body itself is the answer): a list with one item per row for
    $ROWS requests, one item for a $ROW one."""
    from .judge import fail

    record = _record(command)
    log = record["log"]
    rows, answers, times = record["rows"], [], []
    for request in record["requests"]:
        where = f"{request['method']} {request['route']}"
        if request.get("error"):
            fail(f"{where}: {request['error']}; the server printed:\n{log[-2000:]}")
        if request["status"] != 200:
            fail(f"{where} answered HTTP {request['status']}: {request['body'][:500]}")
        try:
            body = json.loads(request["body"])
        except ValueError:
            fail(f"{where} answered no JSON: {request['body'][:500]!r}")
        if answer is None:
            value = body
        elif not isinstance(body, dict) or answer not in body:
            fail(f"{where} answered {request['body'][:300]!r}, with no {answer!r} key")
        else:
            value = body[answer]
        shown, count = str(value)[:300], len(request["rows"])
        if request["single"]:
            value = [value]
        if not isinstance(value, list) or len(value) != count:
            fail(f"{where} answered {answer or 'the body'!r} = {shown} for {count} row(s)")
        answers.extend(value)
        times.append(request["ms"])
    sent = [rows[i] for request in record["requests"] for i in request["rows"]]
    return sent, answers, times


def _same(got, want, regression: bool, tolerance: float) -> bool:
    if regression and (isinstance(got, bool) or not isinstance(got, (int, float))):
        return False  # a value served as text ("151.3") is not a number
    if regression or isinstance(got, float):
        try:
            got = float(got)
        except (TypeError, ValueError):
            return False
        if not math.isfinite(got):
            return False
        return math.isclose(got, float(want), rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(got, bool):
        return False
    if isinstance(got, int) or isinstance(want, (int, float)):
        try:
            return float(got) == float(want)
        except (TypeError, ValueError):
            return False
    return str(got) == str(want)


def assert_serves_model(model, command: str | None = None, answer: str | None = "predictions", regression: bool = False,
                        tolerance: float = 1e-6, probabilities: str | None = None) -> list:
    """The server that `command` (default: client_command()) exercised answered `model.predict` for every row sent (a
    label equal as a number or as text; a regression value a JSON number within `tolerance`,
    relative or absolute; `answer` None: the body is the list) and, with `probabilities` (an answer key), `model.predict_proba` within
    1e-6; measures latency_ms (the median request) and latency_ms_max. Returns the rows."""
    import numpy as np

    from .judge import fail, measure

    rows, got, times = served_predictions(command, answer)
    want = model.predict(np.asarray(rows, dtype=float)).tolist()
    wrong = [i for i, (g, w) in enumerate(zip(got, want)) if not _same(g, w, regression, tolerance)]
    if wrong:
        i = wrong[0]
        fail(f"the server's {answer or 'answers'} differ from the model's for {len(wrong)} of {len(rows)} rows "
             f"(row {rows[i]}: served {got[i]!r}, the model predicts {want[i]!r})")
    if probabilities:
        _, served, _ = served_predictions(command, probabilities)
        expected = model.predict_proba(np.asarray(rows, dtype=float))
        try:
            served_rows = np.asarray(served, dtype=float)
        except (TypeError, ValueError):
            fail(f"the server's {probabilities} are not rows of numbers")
        if served_rows.shape != expected.shape or not np.allclose(served_rows, expected, rtol=1e-6, atol=1e-6):
            fail(f"the server's {probabilities} differ from the model's class probabilities")
    measure("latency_ms", statistics.median(times), "ms")
    measure("latency_ms_max", max(times), "ms")
    return rows


# ---------------------------------------------------------------- the client (the sample's side)


def _client() -> None:  # noqa: C901, PLR0915  one straight script, run as the sample
    import argparse
    import ctypes
    import os
    import random
    import signal
    import socket
    import subprocess
    import tempfile
    import time
    import urllib.error
    import urllib.request

    # First: no process of this user (the server) may read or write this one's memory or
    # descriptors, where the record is made and printed.
    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise SystemExit("cannot make the client non-dumpable")
    parser = argparse.ArgumentParser(prog="benchrun-http-client")
    parser.add_argument("--start", required=True, help="the shell command that starts the server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--route", required=True)
    parser.add_argument("--body", required=True, help='JSON with "$ROWS" (a batch) or "$ROW" (one row)')
    parser.add_argument("--dataset", required=True, choices=["iris", "wine", "breast_cancer", "digits", "diabetes"])
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--noise", type=float, default=0.05)
    parser.add_argument("--ready", type=float, default=90.0, help="seconds to wait for the port")
    parser.add_argument("--health", default="", help="a GET route that must answer 200 first")
    parser.add_argument("--malformed", action="store_true", help="also send malformed requests, after the first")
    args = parser.parse_args()
    record: dict = {"requests": []}

    import sklearn.datasets

    X, y = getattr(sklearn.datasets, f"load_{args.dataset}")(return_X_y=True)
    chooser = random.Random(int.from_bytes(os.urandom(8), "big"))
    order = list(range(len(X)))
    chooser.shuffle(order)
    if len(set(y.tolist())) <= 20:  # a classification set: round robin over the classes
        by_class: dict = {}
        for i in order:
            by_class.setdefault(y[i].item(), []).append(i)
        queues = list(by_class.values())
        order = [queue[n] for n in range(max(map(len, queues))) for queue in queues if n < len(queue)]
    rows = [[float(v) * (1 + chooser.uniform(-args.noise, args.noise)) for v in X[i].tolist()]
            for i in order[:args.rows]]
    record["rows"] = rows
    single = '"$ROW"' in args.body
    if single == ('"$ROWS"' in args.body):
        raise SystemExit('--body holds exactly one of "$ROWS" and "$ROW"')
    groups = [[i] for i in range(len(rows))] if single else \
        [list(range(start, min(start + args.batch, len(rows)))) for start in range(0, len(rows), args.batch)]

    log = tempfile.TemporaryFile()
    server = subprocess.Popen(["sh", "-c", f"exec {args.start}"], stdin=subprocess.DEVNULL, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    hosts = ("127.0.0.1", "::1")
    host = None
    started = time.monotonic()
    while host is None and time.monotonic() - started < args.ready and server.poll() is None:
        for candidate in hosts:
            try:
                socket.create_connection((candidate, args.port), timeout=1).close()
                host = candidate
                break
            except OSError:
                pass
        else:
            time.sleep(0.2)
    record["ready_s"] = time.monotonic() - started

    def ask(method: str, route: str, body: bytes | None) -> dict:
        assert host is not None, "asked only once the server listens"
        where = f"[{host}]" if ":" in host else host
        request = urllib.request.Request(f"http://{where}:{args.port}{route}", data=body, method=method,
                                         headers={"Content-Type": "application/json"} if body else {})
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read(MAX_BODY + 1)
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read(MAX_BODY + 1)
        except (OSError, ValueError) as error:
            return {"status": None, "body": "", "ms": None, "error": f"no answer: {error}"}
        return {"status": status, "body": text[:MAX_BODY].decode("utf-8", "replace"),
                "ms": (time.perf_counter() - began) * 1000, "error": None}

    if host is None:
        record["error"] = (f"the server exited with code {server.returncode} before it listened"
                           if server.poll() is not None else
                           f"nothing listened on port {args.port} of 127.0.0.1 or ::1 within {args.ready:g} s")
    else:
        if args.health:
            answer = ask("GET", args.health, None)
            record["requests"].append({"method": "GET", "route": args.health, "rows": [], "single": False,
                                       "health": True, **answer})
            if answer["status"] != 200:
                record["error"] = f"GET {args.health} answered {answer['status'] or answer['error']}"
        for n, group in enumerate(groups if not record.get("error") else []):
            payload = rows[group[0]] if single else [rows[i] for i in group]
            body = args.body.replace('"$ROW"' if single else '"$ROWS"', json.dumps(payload))
            record["requests"].append({"method": "POST", "route": args.route, "rows": group, "single": single,
                                       **ask("POST", args.route, body.encode())})
            if n == 0 and args.malformed:  # between valid ones: the server must still serve after them
                record["malformed"] = [{"kind": kind, **ask("POST", args.route, bad)}
                                       for kind, bad in malformed_bodies(args.body, [rows[i] for i in group])]
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except OSError:
        pass
    server.wait()
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - LOG_TAIL))
    record["log"] = log.read().decode("utf-8", "replace")
    record["requests"] = [r for r in record["requests"] if not r.get("health")]
    print(RECORD_MARK, json.dumps(record), flush=True)


if __name__ == "__main__":
    _client()
