"""A small workspace for spec tests: real task folders, data files, a HumanEval file."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchrun.grammar import SpecError, parse_text

TASK_TOML = """\
kind = "inline"
functionality = "experiment_tracking"
components = ["mlflow"]
entry = "train.py"
instruction = "Log the training loss with MLflow."
brief = "The training loss is in MLflow."
"""


def make_task(root: Path, suite: str, name: str, body: str = "print('train')\n") -> Path:
    """A minimal task folder in the format of benchrun.codegen.tasks."""
    folder = root / "tasks" / suite / name
    (folder / "input").mkdir(parents=True)
    (folder / "reference").mkdir()
    (folder / "task.toml").write_text(TASK_TOML)
    (folder / "input" / "train.py").write_text(body)
    (folder / "reference" / "train.py").write_text(body + "import mlflow\n")
    (folder / "check.py").write_text("print('ok')\n")
    return folder


class Workspace:
    """A folder with `specs/`, `tasks/demo/{t1,t2,t3}`, `data/` files; specs are written to
    `specs/` so their relative paths ("../tasks/demo/*") resolve like the real ones."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("t1", "t2", "t3"):
            make_task(root, "demo", name)
        (root / "tasks" / "empty").mkdir(parents=True)
        (root / "tasks" / "notask" / "x").mkdir(parents=True)
        data = root / "data"
        data.mkdir()
        (data / "table.csv").write_text("a,b,y\n1,2,0.5\n3,4,1.5\n")
        (data / "frame.parquet").write_bytes(b"PAR1")  # validation only checks that it exists
        (data / "model.gguf").write_bytes(b"GGUF")
        (data / "he.jsonl").write_text("")
        (root / "specs").mkdir()

    def path(self, name: str = "test.bench") -> Path:
        return self.root / "specs" / name

    def write(self, text: str, name: str = "test.bench") -> Path:
        path = self.path(name)
        path.write_text(text)
        return path

    def parse(self, text: str, name: str = "test.bench"):
        return parse_text(text, str(self.path(name)))

    def errors(self, text: str) -> list:
        """The diagnostics of a spec that must be wrong."""
        with pytest.raises(SpecError) as caught:
            self.parse(text)
        return caught.value.errors


@pytest.fixture(scope="session")
def ws(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("ws"))

