"""Fixtures for the task tests: small task folders written on the fly (stdlib only, so
they run with any python3) and the host runner of validate_local."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from benchrun.codegen.validate_local import HostRunner

# A program that "adds a capability": writing result.json next to its printed score.
INPUT_PROGRAM = 'print("score: 0.75")\n'
REFERENCE_PROGRAM = 'import json\njson.dump({"score": 0.75}, open("result.json", "w"))\nprint("score: 0.75")\n'
CHECK = """\
import json, os
from benchcheck import assert_same_score, fail, require_success
require_success()
value = assert_same_score("score")
if not os.path.exists("result.json"):
    fail("no result.json")
if json.load(open("result.json"))["score"] != value:
    fail("result.json disagrees with the printed score")
"""
TOML = """\
kind = "inline"
functionality = "experiment_tracking"
components = ["json"]
entry = "main.py"
instruction = "Also write the score to result.json."
brief = "The score is also in result.json."
timeout = 30
"""


# Two plausible mistakes and a correct program in another style, for four-way validation.
MUTANTS = {
    "wrong-score": {"main.py": 'import json\njson.dump({"score": 0.5}, open("result.json", "w"))\nprint("score: 0.75")\n'},
    "no-result-file": {"main.py": 'print("score: 0.75")\nopen("results.json", "w").write("{}")\n'},
}
ALTERNATIVES = {
    "write-text": {
        "main.py": 'score = 0.75\nopen("result.json", "w").write(\'{"score": %s}\' % score)\nprint(f"score: {score}")\n'},
    "pathlib-dumps": {
        "main.py": 'import json, pathlib\nscore = 0.75\npathlib.Path("result.json").write_text(json.dumps({"score": score}))\n'
                   'print(f"score: {score}")\n'},
}


def write_task(folder: Path, toml=TOML, inputs=None, reference=None, check=CHECK, docs="# docs\n",
               mutants=None, alternatives=None) -> Path:
    files = {"task.toml": toml, "check.py": check, "docs.md": docs}
    for kind, programs in (("mutants", mutants or {}), ("alternatives", alternatives or {})):
        for program, program_files in programs.items():
            for name, text in program_files.items():
                files[f"{kind}/{program}/{name}"] = text
    for name, text in (inputs if inputs is not None else {"main.py": INPUT_PROGRAM}).items():
        files[f"input/{name}"] = text
    for name, text in (reference if reference is not None else {"main.py": REFERENCE_PROGRAM}).items():
        files[f"reference/{name}"] = text
    for name, text in files.items():
        if text is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (folder / "input").mkdir(parents=True, exist_ok=True)
    (folder / "reference").mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def make_task(tmp_path):
    def make(name="demo", suite="suite", **kwargs) -> Path:
        return write_task(tmp_path / "tasks" / suite / name, **kwargs)

    return make


@pytest.fixture(scope="session")
def host_runner():
    return HostRunner()
