"""HumanEval-style task packs: a JSONL file (optionally gzipped), one problem a line,
with `task_id`, `prompt`, `entry_point`, `test` and, for validation, `canonical_solution`.

Each problem becomes a Task whose program is `solution.py` (the prompt, to be completed).
The candidate is either the whole function or, as the original harness expects, only the
completion of the prompt (then prompt + completion is what runs).

Judging never runs the candidate in the judge. The program's phase runs the recorder
(`RECORDER`): it imports the candidate and runs the problem's `check(candidate)` with
every call's arguments and result written as plain data. The judge then runs the same
`check` with a candidate that answers from those records (benchcheck.humaneval_replay).
So exiting early, forging an exit code, printing a verdict, patching builtins or `assert`,
or returning an object whose `__eq__` is always true all fail. What remains possible: the
candidate runs in the same process as the test in its own phase, so it can read the
test's expected values from memory and return them.
"""
from __future__ import annotations

import gzip
import hashlib
import inspect
import json
from pathlib import Path

from benchrun.codegen import benchcheck
from benchrun.codegen.tasks import Task, TaskError

ENTRY = "solution.py"
REQUIRED = ("task_id", "prompt", "entry_point", "test")

# Runs in the program's phase, as the sample, after `PROBLEM = {...}` and benchcheck.plain.
RECORDER = '''\
import importlib, json, os, random, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.getcwd())

def candidate_module():
    try:
        module = importlib.import_module("solution")
        if hasattr(module, PROBLEM["entry_point"]):
            return module
    except SyntaxError:  # e.g. an indented function body alone
        pass
    with open("solution.py") as completion:
        text = PROBLEM["prompt"] + completion.read()
    with open("completed_solution.py", "w") as handle:
        handle.write(text)
    return importlib.import_module("completed_solution")

module = candidate_module()  # an error here is the program's crash
function = getattr(module, PROBLEM["entry_point"])
calls = []

def recorder(*args, **kwargs):
    call = {"args": plain([list(args), kwargs])}
    calls.append(call)
    try:
        result = function(*args, **kwargs)
        call["result"] = plain(result)
    except BaseException as error:
        call["error"] = f"{type(error).__name__}: {error}"[:500]
        raise
    return result

namespace = {k: v for k, v in vars(module).items() if not k.startswith("__")}
namespace[PROBLEM["entry_point"]] = recorder  # tests that call it by name are recorded too
exec(compile(PROBLEM["test"], "test.py", "exec"), namespace)
random.seed(0)
try:
    namespace["check"](recorder)
except BaseException as error:  # the judge decides; the records end at this call
    print(f"the test stopped: {type(error).__name__}: {error}", file=sys.stderr)
with open(".benchrun-calls.json", "w") as handle:
    json.dump(calls, handle)
'''

CHECK = '''\
# The problem's own test, over the calls the recorder wrote (see humaneval.py).
from benchcheck import humaneval_replay

humaneval_replay(PROBLEM["prompt"], PROBLEM["test"], PROBLEM["entry_point"])
'''


# The recorder's copy of benchcheck.plain, read once (not once per problem).
PLAIN_SOURCE = inspect.getsource(benchcheck.plain)


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
        harness=_with_problem(RECORDER, problem, PLAIN_SOURCE),
        docs="",
        timeout=None,
        path=str(path.resolve()),
        digest=digest,
    )
