"""The code-adaptation workload: tasks, their checks and validation."""
from benchrun.codegen.humaneval import read_humaneval
from benchrun.codegen.sources import list_task_ids, load_paths, load_tasks
from benchrun.codegen.tasks import RUN_ENV, Task, TaskError, find_task_folders, load_task, program_command, program_files
from benchrun.codegen.validate import TaskValidation, validate_tasks

__all__ = [
    "RUN_ENV",
    "Task",
    "TaskError",
    "find_task_folders",
    "list_task_ids",
    "load_paths",
    "load_task",
    "load_tasks",
    "read_humaneval",
    "program_command",
    "program_files",
    "TaskValidation",
    "validate_tasks",
]
