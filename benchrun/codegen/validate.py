"""Task validation: a task is only worth running if its checks tell a working solution
from a broken one. So the reference solution must pass, and the unmodified input
(which lacks the asked-for capability) must fail, both in the real sandbox."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

import attrs

from benchrun.codegen.tasks import RUN_ENV, Task, reference_files, run_command, run_files
from benchrun.sandboxes.base import NONZERO_EXIT, ExecResult, Limits, Sandbox

# What a benchmark gives a sample by default (1 GiB, 1 CPU); a task's own timeout wins.
DEFAULT_LIMITS = Limits(timeout_s=120.0, memory_bytes=1 << 30, cpus=1.0)


@attrs.frozen
class TaskValidation:
    task: Task
    reference: ExecResult  # the reference solution's run: must pass
    baseline: ExecResult  # the unmodified input's run: must fail its check

    @property
    def ok(self) -> bool:
        return self.reference.ok and self.baseline.category == NONZERO_EXIT

    @property
    def why(self) -> str:
        """Empty when the task discriminates; else what is wrong, with the output's end."""
        problems = []
        if not self.reference.ok:
            problems.append(f"reference fails ({self.reference.category}): {failure_tail(self.reference)}")
        if self.baseline.ok:
            problems.append("unmodified input passes the check: the check does not test the capability")
        elif self.baseline.category != NONZERO_EXIT:
            problems.append(
                f"unmodified input did not fail its check but hit {self.baseline.category}: "
                f"{failure_tail(self.baseline)}"
            )
        return "\n".join(problems)


def failure_tail(result: ExecResult, lines: int = 6) -> str:
    """The last lines of a run's stderr (where the CHECK FAILED line or traceback is)."""
    text = (result.stderr or result.detail or result.stdout).strip()
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def task_limits(task: Task, base: Limits = DEFAULT_LIMITS) -> Limits:
    return attrs.evolve(base, timeout_s=task.timeout) if task.timeout else base


def validate_task(task: Task, sandbox: Sandbox, limits: Limits = DEFAULT_LIMITS) -> TaskValidation:
    command, run_limits = run_command(task), task_limits(task, limits)
    reference = sandbox.run(reference_files(task), command, run_limits, RUN_ENV)
    baseline = sandbox.run(run_files(task, task.program), command, run_limits, RUN_ENV)
    return TaskValidation(task=task, reference=reference, baseline=baseline)


def validate_tasks(
    tasks: Iterable[Task],
    sandbox: Sandbox,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int = 2,
    progress: Callable[[TaskValidation], None] | None = None,
) -> list[TaskValidation]:
    """Validate every task, `jobs` at a time; results in the order of `tasks`."""

    def one(task: Task) -> TaskValidation:
        outcome = validate_task(task, sandbox, limits)
        if progress:
            progress(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, list(tasks)))
