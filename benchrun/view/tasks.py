"""A sample's task, found again to diff the extracted program against its input program.

A unit records the task's id (`suite/name`) and digest, not its folder. The folders are
looked up in the specs that name them (the spec given to `benchrun view`, then the
specs of the file's runs, newest first), then as `tasks/<id>` beside those specs and in
the working directory. A task whose folder has changed since the sample was generated is
still shown, with a note, since its digest no longer matches.
"""
from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from benchrun.codegen.sources import load_tasks
from benchrun.codegen.tasks import Task, load_task
from benchrun.errors import BenchrunError
from benchrun.grammar import load_spec


class TaskFinder:
    """Task id -> Task, from the specs `spec_paths()` names (read once, when first needed)."""

    def __init__(self, spec_paths: Callable[[], Iterable[str]], cwd: Path | None = None):
        self._spec_paths = spec_paths
        self._cwd = cwd or Path.cwd()
        self._tasks: dict[str, Task] | None = None
        self._dirs: list[Path] = []
        self._lock = threading.Lock()

    def _load(self) -> dict[str, Task]:
        with self._lock:
            if self._tasks is None:
                tasks: dict[str, Task] = {}
                dirs: list[Path] = []
                for path in dict.fromkeys(p for p in self._spec_paths() if p):
                    folder = Path(path).resolve().parent
                    dirs += [folder / "tasks", folder.parent / "tasks", folder]
                    for task in _spec_tasks(path):
                        tasks.setdefault(task.id, task)
                self._dirs = [*dirs, self._cwd / "tasks", self._cwd]
                self._tasks = tasks
            return self._tasks

    def find(self, task_id: str) -> Task | None:
        tasks = self._load()
        if task_id in tasks:
            return tasks[task_id]
        for folder in self._dirs:
            candidate = folder / task_id
            if (candidate / "task.toml").is_file():
                try:
                    task = load_task(candidate)
                except BenchrunError:
                    continue
                tasks[task_id] = task
                return task
        return None


def _spec_tasks(path: str) -> list[Task]:
    """The tasks of every benchmark block of the spec at `path`; [] if it cannot be read."""
    try:
        spec = load_spec(path)
    except (BenchrunError, OSError):
        return []
    found = []
    for block in spec.blocks:
        for source in getattr(block, "tasks", ()) or ():
            try:
                found += load_tasks(source)
            except (BenchrunError, OSError):
                continue
    return found


def program_diff(before: str, after: str, before_name: str, after_name: str) -> list[tuple[str, str]]:
    """A unified diff as (css class, line) pairs: add, del, hunk, head or ctx."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), before_name, after_name, lineterm="")
    marked = []
    for line in lines:
        if line.startswith(("+++", "---")):
            kind = "head"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        marked.append((kind, line))
    return marked
