"""HumanEval-style task packs: a JSONL file (optionally gzipped), one problem a line,
with `task_id`, `prompt`, `entry_point`, `test` and, for validation, `canonical_solution`.

Each problem becomes a Task whose program is `solution.py` (the prompt, to be completed).
The candidate is either the whole function or, as the original harness expects, only the
completion of the prompt (then prompt + completion is what runs: tasks.syntax_error, extract_code's `prompt`).

Judging never runs the candidate in the judge, and the candidate never runs in a process
that holds the test. The program's phase runs the recorder (`RECORDER`), which first makes
itself non-dumpable (no process of the sample's user can read its memory) and deletes its
own file, the only copy of the test the sample ever had; only then does it start the
candidate, in a fresh interpreter (`CANDIDATE`) that gets, over a pipe, the prompt and then
each call's arguments, and answers with each result as plain data. The recorder runs the
problem's `check` over those answers, writes every call's arguments and result to
CALLS_FILE, and prints that file's sha256 under a per-sample key (`HARNESS_KEY`, which
the host gives the recorder and the judge alone). The judge accepts only records whose
digest was printed with its key, and runs the same `check` with a candidate that answers
from them (benchcheck.humaneval_replay). So exiting early, forging an exit code, printing
a verdict, patching builtins or `assert`, returning an object whose `__eq__` is always
true, reading the expected values from the test, or rewriting the records all fail.
What a candidate sees of the test is the arguments it is called with, in order.
"""
from __future__ import annotations

import gzip
import hashlib
import inspect
import json
from pathlib import Path

from benchrun.codegen import benchcheck
from benchrun.codegen.benchcheck.humaneval import CALLS_FILE, CALLS_MARK
from benchrun.codegen.tasks import HARNESS, Task, TaskError

ENTRY = "solution.py"
REQUIRED = ("task_id", "prompt", "entry_point", "test")

# Runs in a fresh interpreter started by the recorder, as the sample, after benchcheck.plain
# and unplain: it never holds the test. argv: the fds of its two pipes (calls in, answers out).
CANDIDATE = '''\
import importlib, json, os, random, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.getcwd())
calls, answers = os.fdopen(int(sys.argv[1]), "r"), os.fdopen(int(sys.argv[2]), "w")
setup = json.loads(calls.readline())  # the prompt and the entry point

def candidate_module():
    try:
        module = importlib.import_module("solution")
        if hasattr(module, setup["entry_point"]):
            return module
    except SyntaxError:  # an indented function body alone: the original harness's form
        pass
    with open("solution.py") as completion:
        text = setup["prompt"] + completion.read()
    with open("completed_solution.py", "w") as handle:
        handle.write(text)
    return importlib.import_module("completed_solution")

function = getattr(candidate_module(), setup["entry_point"])  # an error here is the program's crash
random.seed(0)  # as the test's process is: a candidate that draws numbers draws the same
answers.write("ready\\n")
answers.flush()
for line in calls:
    args, kwargs = unplain(json.loads(line))
    try:
        answer = {"result": plain(function(*args, **kwargs))}
    except BaseException as error:
        answer = {"error": f"{type(error).__name__}: {error}"[:500]}
    answers.write(json.dumps(answer) + "\\n")
    answers.flush()
'''

# Runs in the program's phase, as the sample, after `HARNESS_KEY = ...` (tasks.program_files),
# `PROBLEM = {...}`, benchcheck.plain and unplain, and `CANDIDATE = ...`.
RECORDER = f'''\
import ctypes, hashlib, json, os, random, subprocess, sys
# The test is in this process's memory: no process of the sample's user may read it
# (/proc/PID/mem, environ and fd become root's; no ptrace). Then its only copy on disk goes,
# before any code of the candidate runs, and nothing is imported from the sample's folder
# (the candidate could write a `math.py` there).
if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
    sys.exit("benchrun: the recorder could not make itself non-dumpable")
os.unlink({HARNESS!r})
here = os.path.realpath(os.getcwd())
sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != here]
MARK, CALLS_FILE = {CALLS_MARK!r}, {CALLS_FILE!r}
namespace = {{"__name__": "humaneval_prompt"}}
exec(compile(PROBLEM["prompt"], "prompt.py", "exec"), namespace)  # the problem's own helpers
exec(compile(PROBLEM["test"], "test.py", "exec"), namespace)

calls_in, calls_out = os.pipe()
answers_in, answers_out = os.pipe()
child = subprocess.Popen([sys.executable, "-s", "-c", CANDIDATE, str(calls_in), str(answers_out)],
                         stdin=subprocess.DEVNULL, pass_fds=(calls_in, answers_out))
os.close(calls_in)
os.close(answers_out)
to_child, from_child = os.fdopen(calls_out, "w"), os.fdopen(answers_in, "r")
to_child.write(json.dumps({{"prompt": PROBLEM["prompt"], "entry_point": PROBLEM["entry_point"]}}) + "\\n")
to_child.flush()
if from_child.readline() != "ready\\n":  # the candidate did not load, or ended as it loaded
    sys.exit(child.wait() or 1)
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
to_child.close()  # the candidate's loop ends and its output is flushed, or it is killed
try:
    child.wait(timeout=5)
except subprocess.TimeoutExpired:
    child.kill()
    child.wait()
records = json.dumps(calls).encode()
try:
    os.unlink(CALLS_FILE)  # whatever the candidate left in its place
except FileNotFoundError:
    pass
with os.fdopen(os.open(CALLS_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644), "wb") as handle:
    handle.write(records)
if stopped:
    print(f"the test stopped: {{stopped}}", file=sys.stderr)
# The judge reads the records only with this line's digest, which needs the key.
sys.stdout.flush()  # on a line of its own, whatever the candidate printed last
os.write(1, f"\\n{{MARK}} {{HARNESS_KEY}} {{hashlib.sha256(records).hexdigest()}}\\n".encode())
'''

CHECK = '''\
# The problem's own test, over the calls the recorder wrote (see humaneval.py).
from benchcheck import humaneval_replay

humaneval_replay(PROBLEM["prompt"], PROBLEM["test"], PROBLEM["entry_point"])
'''


# The recorder's and the candidate's copies of benchcheck.plain and unplain, read once.
PLAIN_SOURCE = inspect.getsource(benchcheck.plain) + "\n\n" + inspect.getsource(benchcheck.unplain)
# What the recorder's file holds besides the problem: the helpers and the candidate's script.
RECORDER_HELPERS = f"{PLAIN_SOURCE}\n\nCANDIDATE = {PLAIN_SOURCE + chr(10) * 3 + CANDIDATE!r}\n"


def _with_problem(script: str, problem: dict, helpers: str = "") -> str:
    fields = {key: problem[key] for key in ("prompt", "test", "entry_point")}
    return f"PROBLEM = {json.dumps(fields)}\n{helpers}\n{script}"


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
        harness=_with_problem(RECORDER, problem, RECORDER_HELPERS),
        docs="",
        timeout=None,
        path=str(path.resolve()),
        digest=digest,
    )
