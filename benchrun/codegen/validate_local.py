"""Validate tasks on the host, without Docker: for task authors.

    python -m benchrun.codegen.validate_local tasks/translation/my-task [more task or suite folders]

Each run gets a fresh temporary work dir and the sample environment, with the task
venv (`/opt/taskenv/bin`, or $BENCHRUN_TASKENV/bin) first on PATH. No isolation: only
run tasks you trust. `benchrun tasks validate` runs the same checks in the sandbox.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from benchrun.codegen.sources import load_paths
from benchrun.codegen.tasks import TaskError
from benchrun.codegen.validate import TaskValidation, validate_tasks
from benchrun.sandboxes.local import LocalSandbox

TASKENV = os.environ.get("BENCHRUN_TASKENV", "/opt/taskenv")


class HostRunner(LocalSandbox):
    """The local sandbox with the task venv's programs first on PATH."""

    def __init__(self, taskenv: str = TASKENV):
        super().__init__(use_bwrap=False, path_prefix=str(Path(taskenv) / "bin"))


def report_line(outcome: TaskValidation) -> str:
    line = f"{'OK  ' if outcome.ok else 'BAD '} {outcome.task.id}"
    return "\n".join([line, *("  " + p.replace("\n", "\n    ") for p in outcome.problems)])


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    jobs = int(os.environ.get("BENCHRUN_JOBS", "2"))
    try:
        tasks = load_paths(argv)
    except TaskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not Path(TASKENV, "bin", "python3").exists():
        print(f"error: no task venv at {TASKENV} (set BENCHRUN_TASKENV)", file=sys.stderr)
        return 2
    outcomes = validate_tasks(tasks, HostRunner(), jobs=jobs, progress=lambda o: print(report_line(o), flush=True))
    bad = [o.task.id for o in outcomes if not o.ok]
    print(f"\n{len(outcomes) - len(bad)}/{len(outcomes)} tasks discriminate" + (f"; not: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
