"""No check of the corpus runs program code in the judge: it starts no process and imports
nothing dynamically. Where a task needs the program run again (`python3 main.py train`),
task.toml's `after` runs it as the sample and the check reads the outcome
(`benchcheck.after_run`). The tamper suite attacks the same rule from the program's side
(a program that misbehaves when it finds itself running as the judge's user).

A check may import the unmodified input's modules by name (`from train import Model`):
the judge serves those from the task's pristine files in memory and refuses any module
located in the program's files (tests/codegen/test_tamper.py)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKS = sorted((ROOT / "tasks").rglob("check.py"))

# Modules whose use is starting a process or running code by name.
PROCESS_MODULES = {"subprocess", "runpy", "multiprocessing", "pty", "importlib", "pexpect", "sh", "plumbum"}
# os functions that start a process (or replace this one).
OS_STARTS = {"system", "popen", "fork", "forkpty", "startfile", "posix_spawn", "posix_spawnp"}
OS_PREFIXES = ("exec", "spawn")
# Builtins that run code given as data, and the interpreter's own path (only useful to start one).
CODE_BUILTINS = {"exec", "eval", "compile", "__import__", "breakpoint"}
# Calls that run a DVC stage's command, the program's code: `dvc repro`.
STAGE_RUNNERS = {"reproduce", "repro"}


def _starts_os(name: str) -> bool:
    return name in OS_STARTS or name.startswith(OS_PREFIXES)


def process_starts(source: str) -> list[str]:
    """Where `source` starts a process or runs code that is not its own, as `line: what`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{getattr(node, 'lineno', '?')}: "
        if isinstance(node, ast.Import):
            found += [where + f"import {a.name}" for a in node.names if a.name.split(".")[0] in PROCESS_MODULES]
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".")[0]
            if module in PROCESS_MODULES:
                found.append(where + f"from {node.module} import")
            elif module == "os":
                found += [where + f"from os import {a.name}" for a in node.names if _starts_os(a.name)]
            elif module == "concurrent" and any(a.name == "ProcessPoolExecutor" for a in node.names):
                found.append(where + "ProcessPoolExecutor")
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if owner == "os" and _starts_os(node.attr):
                found.append(where + f"os.{node.attr}")
            elif owner == "sys" and node.attr == "executable":
                found.append(where + "sys.executable")
            elif node.attr in STAGE_RUNNERS or node.attr == "ProcessPoolExecutor":
                found.append(where + f".{node.attr}")
        elif isinstance(node, ast.Name) and node.id in CODE_BUILTINS:
            found.append(where + node.id)
    return found


def test_the_scan_finds_every_kind_of_process_start():
    """The scanner itself: each way a check could run the program is found."""
    samples = {
        "import subprocess\nsubprocess.run(['python3', 'main.py'])": "import subprocess",
        "from subprocess import run": "from subprocess import",
        "import os\nos.system('python3 main.py')": "os.system",
        "import os\nos.execv('/usr/bin/python3', ['python3', 'main.py'])": "os.execv",
        "from os import spawnl": "from os import spawnl",
        "import runpy\nrunpy.run_path('main.py')": "import runpy",
        "import importlib\nimportlib.import_module('main')": "import importlib",
        "exec(open('main.py').read())": "exec",
        "m = __import__('main')": "__import__",
        "import sys\nprint(sys.executable)": "sys.executable",
        "from dvc.repo import Repo\nRepo('.').reproduce()": ".reproduce",
        "from concurrent.futures import ProcessPoolExecutor": "ProcessPoolExecutor",
    }
    for source, what in samples.items():
        assert any(what in hit for hit in process_starts(source)), (source, process_starts(source))
    assert process_starts("import os\nprint(os.path.join('a', 'b'))\nfrom train import Model\n") == []


@pytest.mark.parametrize("check", CHECKS, ids=lambda path: path.parent.name)
def test_no_check_starts_a_process_or_runs_program_code(check):
    assert CHECKS, "no task checks found"
    assert process_starts(check.read_text(encoding="utf-8")) == [], check
