"""Where a benchmark's tasks come from: task folders (or suites of them) and HumanEval
JSONL files."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from benchrun.codegen.humaneval import is_humaneval_file, read_humaneval
from benchrun.codegen.tasks import Task, TaskError, find_task_folders, load_task


def load_tasks(source) -> list[Task]:
    """The tasks of a `benchrun.codegen.spec.TaskSource`."""
    if source.kind == "humaneval":
        return [task for path in source.paths for task in read_humaneval(path)]
    if source.kind != "folder":
        raise TaskError(source.pattern, f"unknown task source kind {source.kind!r}")
    if not source.paths:
        raise TaskError(source.pattern, "matches no task folders")
    tasks = [load_task(folder) for path in source.paths for folder in find_task_folders(path)]
    _check_unique(tasks)
    return tasks


def load_paths(paths: Iterable[str | Path]) -> list[Task]:
    """Tasks from task folders, suite folders or HumanEval JSONL files (for the CLI)."""
    tasks = []
    for path in paths:
        if is_humaneval_file(path):
            tasks.extend(read_humaneval(path))
        else:
            tasks.extend(load_task(folder) for folder in find_task_folders(path))
    _check_unique(tasks)
    return tasks


def _check_unique(tasks: list[Task]) -> None:
    seen: dict[str, str] = {}
    for task in tasks:
        if task.id in seen and seen[task.id] != task.path:
            raise TaskError(task.path, f"task id {task.id!r} is also used by {seen[task.id]}")
        seen[task.id] = task.path


def list_task_ids(source) -> list[tuple[str, str]]:
    """(id, digest) of every task of a source, in a stable order: what names the units."""
    return [(task.id, task.digest) for task in load_tasks(source)]
