"""HumanEval-style task packs: a JSONL file (optionally gzipped), one problem a line,
with `task_id`, `prompt`, `entry_point`, `test` and, for validation, `canonical_solution`.

Each problem becomes a Task whose program is `solution.py` (the prompt, to be completed)
and whose check.py is the problem's own test run against it, as the original harness
does: `check(<entry_point>)` over the prompt's and the solution's names.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from benchrun.codegen.tasks import Task, TaskError

ENTRY = "solution.py"
REQUIRED = ("task_id", "prompt", "entry_point", "test")

CHECK_HEADER = '''\
# The problem's own test, run against the candidate in solution.py. The candidate is either
# the whole function or, as the original harness expects, only the completion of the
# prompt (then prompt + completion is what runs).
import importlib
import sys

sys.dont_write_bytecode = True


def _candidate_module():
    try:
        module = importlib.import_module("solution")
        if hasattr(module, ENTRY_POINT):
            return module
    except SyntaxError:  # e.g. an indented function body alone
        pass
    with open(".original/solution.py") as prompt, open("solution.py") as completion:
        text = prompt.read() + completion.read()
    with open("completed_solution.py", "w") as handle:
        handle.write(text)
    return importlib.import_module("completed_solution")


globals().update({_k: _v for _k, _v in vars(_candidate_module()).items() if not _k.startswith("__")})

'''


def is_humaneval_file(path: str | Path) -> bool:
    return Path(path).is_file() and Path(path).name.endswith((".jsonl", ".jsonl.gz"))


def check_script(problem: dict) -> str:
    entry_point = problem["entry_point"]
    header = CHECK_HEADER.replace("ENTRY_POINT", repr(entry_point))
    return f"{header}{problem['test']}\n\ncheck({entry_point})\n"


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
        checks=check_script(problem),
        docs="",
        timeout=None,
        path=str(path.resolve()),
        digest=digest,
    )
