"""HumanEval-style task packs: a JSONL file (optionally gzipped), one problem a line,
with `task_id`, `prompt`, `entry_point`, `test` and, for validation, `canonical_solution`.

Each problem becomes a Task whose program is `solution.py` (the prompt, to be completed).
The candidate is either the whole function or, as the original harness expects, only the
completion of the prompt (then prompt + completion is what runs: tasks.syntax_error, extract_code's `prompt`).

Judging never runs the candidate in the judge, and the candidate never runs in a process
that holds the test. The program's phase runs the recorder (`RECORDER`, with the prompt
and entry point); the test and a per-sample key are in a file of their own
(HARNESS_SECRET). The recorder makes itself non-dumpable (no process of the sample's user
can read its memory), opens and deletes that file, and forks the candidate's process
before it reads it: that process imports the candidate and gets, over a pipe, each call's
arguments, answering with each result as plain data. The recorder runs the problem's
`check` over those answers, writes every call's arguments and result to CALLS_FILE, and
prints that file's sha256 under the key, which only the recorder and the judge get. The
judge accepts only records whose digest was printed with its key, and runs the same
`check` with a candidate that answers from them (benchcheck.humaneval_replay). So exiting
early, forging an exit code, printing a verdict, patching builtins or `assert`, returning
an object whose `__eq__` is always true, reading the expected values from the test, or
rewriting the records all fail. What a candidate sees of the test is the arguments it is
called with, in order.
"""
from __future__ import annotations

import gzip
import hashlib
import inspect
import json
from pathlib import Path

from benchrun.codegen import benchcheck
from benchrun.codegen.benchcheck.humaneval import CALLS_FILE, CALLS_MARK
from benchrun.codegen.tasks import HARNESS_SECRET, Task, TaskError

ENTRY = "solution.py"
REQUIRED = ("task_id", "prompt", "entry_point", "test")

# Runs in the program's phase, as the sample, after `PROBLEM = {...}` (the prompt and the
# entry point: nothing secret) and benchcheck.plain and unplain. The test and the sample's
# key are in HARNESS_SECRET, read only by the recorder, after the candidate's process forked.
RECORDER = f"""\
import ctypes, hashlib, importlib, json, os, random, signal, sys, time, traceback
MARK, CALLS_FILE, SECRET = {CALLS_MARK!r}, {CALLS_FILE!r}, {HARNESS_SECRET!r}
# Nothing of the sample's user may read this process (/proc/PID/mem, environ and fd become
# root's; no ptrace): it is about to hold the test. The test's file is opened and removed
# before any code of the candidate runs; it is read only after the candidate has forked.
if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
    sys.exit("benchrun: the recorder could not make itself non-dumpable")
secret = os.open(SECRET, os.O_RDONLY | os.O_NOFOLLOW)
os.unlink(SECRET)
calls_in, calls_out = os.pipe()
answers_in, answers_out = os.pipe()


def candidate_module():
    try:
        module = importlib.import_module("solution")
        if hasattr(module, PROBLEM["entry_point"]):
            return module
    except SyntaxError:  # an indented function body alone: the original harness's form
        pass
    with open("solution.py") as completion:
        text = PROBLEM["prompt"] + completion.read()
    with open("completed_solution.py", "w") as handle:
        handle.write(text)
    return importlib.import_module("completed_solution")


def serve_candidate():
    # The candidate's process: a fork made before the test was read. It gets each call's
    # arguments and answers with the result as plain data.
    os.close(secret)
    os.close(calls_out)
    os.close(answers_in)
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.getcwd())
    calls, answers = os.fdopen(calls_in, "r"), os.fdopen(answers_out, "w")
    function = getattr(candidate_module(), PROBLEM["entry_point"])  # an error here is the program's crash
    random.seed(0)  # as the test's process is: a candidate that draws numbers draws the same
    answers.write("ready\\n")
    answers.flush()
    for line in calls:
        args, kwargs = unplain(json.loads(line))
        try:
            answer = {{"result": plain(function(*args, **kwargs))}}
        except BaseException as error:
            answer = {{"error": f"{{type(error).__name__}}: {{error}}"[:500]}}
        answers.write(json.dumps(answer) + "\\n")
        answers.flush()


child = os.fork()
if child == 0:
    code = 0
    try:
        serve_candidate()
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 0 if end.code is None else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

os.close(calls_in)
os.close(answers_out)
with os.fdopen(secret, "rb") as handle:
    SECRET_DATA = json.loads(handle.read())
here = os.path.realpath(os.getcwd())
sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != here]  # the candidate writes there
namespace = {{"__name__": "humaneval_prompt"}}
exec(compile(PROBLEM["prompt"], "prompt.py", "exec"), namespace)  # the problem's own helpers
exec(compile(SECRET_DATA["test"], "test.py", "exec"), namespace)
to_child, from_child = os.fdopen(calls_out, "w"), os.fdopen(answers_in, "r")


def end_of_candidate():
    to_child.close()  # its loop ends and its output is flushed; else it is killed
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.002)
    os.kill(child, signal.SIGKILL)
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


if from_child.readline() != "ready\\n":  # the candidate did not load, or ended as it loaded
    sys.exit(end_of_candidate() or 1)
calls = []


class CandidateError(Exception):
    pass


def candidate(*args, **kwargs):
    call = {{"args": plain([list(args), kwargs])}}
    calls.append(call)
    try:
        to_child.write(json.dumps(call["args"]) + "\\n")
        to_child.flush()
        answer = json.loads(from_child.readline() or '{{"error": "the candidate\\'s process ended"}}')
        if "result" in answer:
            result = unplain(answer["result"])  # as the judge will read it back
            call["result"] = answer["result"]
            return result
        call["error"] = str(answer["error"])[:500]
    except Exception as error:  # a broken pipe, or an answer that is not plain data
        call["error"] = f"the candidate answered no plain value: {{type(error).__name__}}"
    raise CandidateError(call["error"])


namespace[PROBLEM["entry_point"]] = candidate  # tests that call it by name are recorded too
random.seed(0)
try:
    namespace["check"](candidate)
    stopped = None
except BaseException as error:  # the judge decides; the records end at this call
    stopped = f"{{type(error).__name__}}: {{error}}"
end_of_candidate()
records = json.dumps(calls).encode()
try:
    os.unlink(CALLS_FILE)  # whatever the candidate left in its place
except FileNotFoundError:
    pass
with os.fdopen(os.open(CALLS_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644), "wb") as handle:
    handle.write(records)
if stopped:
    print(f"the test stopped: {{stopped}}", file=sys.stderr)
# The judge reads the records only with this line's digest, which needs the key; on a line
# of its own, whatever the candidate printed last.
sys.stdout.flush()
os.write(1, f"\\n{{MARK}} {{SECRET_DATA['key']}} {{hashlib.sha256(records).hexdigest()}}\\n".encode())
"""

CHECK = '''\
# The problem's own test, over the calls the recorder wrote (see humaneval.py).
from benchcheck import humaneval_replay

humaneval_replay(PROBLEM["prompt"], PROBLEM["test"], PROBLEM["entry_point"])
'''


# The recorder's copies of benchcheck.plain and unplain, read once (not once per problem).
PLAIN_SOURCE = inspect.getsource(benchcheck.plain) + "\n\n" + inspect.getsource(benchcheck.unplain)


def _with_problem(script: str, problem: dict, helpers: str = "", fields=("prompt", "test", "entry_point")) -> str:
    return f"PROBLEM = {json.dumps({key: problem[key] for key in fields})}\n{helpers}\n{script}"


def is_humaneval_file(path: str | Path) -> bool:
    return Path(path).is_file() and Path(path).name.endswith((".jsonl", ".jsonl.gz"))


def read_humaneval(path: str | Path) -> list[Task]:
    path = Path(path)
    if not path.is_file():
        raise TaskError(path, "no such HumanEval JSONL file")
    opener = gzip.open if path.name.endswith(".gz") else open
    tasks = []
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    tasks.append(_task(_problem(line, path, number), path))
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise TaskError(path, f"cannot read: {error}") from None
    if not tasks:
        raise TaskError(path, "no problems in the file")
    return tasks


def _problem(line: str, path: Path, number: int) -> dict:
    where = f"{path}:{number}"
    try:
        problem = json.loads(line)
    except json.JSONDecodeError as error:
        raise TaskError(where, f"not a JSON object: {error.msg}") from None
    if not isinstance(problem, dict):
        raise TaskError(where, "not a JSON object")
    missing = [key for key in REQUIRED if not isinstance(problem.get(key), str)]
    if missing:
        raise TaskError(where, f"missing {', '.join(missing)} (strings)")
    return problem


def _task(problem: dict, path: Path) -> Task:
    prompt = problem["prompt"]
    canonical = problem.get("canonical_solution") or ""
    digest = hashlib.sha256(json.dumps(problem, sort_keys=True).encode()).hexdigest()
    return Task(
        id=problem["task_id"],
        kind="humaneval",
        functionality="humaneval",
        components=(),
        instruction="Complete the function.",
        entry=ENTRY,
        inputs={ENTRY: prompt},
        reference={ENTRY: prompt + canonical},
        checks=_with_problem(CHECK, problem),
        harness=_with_problem(RECORDER, problem, PLAIN_SOURCE, fields=("prompt", "entry_point")),
        harness_secret=problem["test"],
        docs="",
        timeout=None,
        path=str(path.resolve()),
        digest=digest,
    )
