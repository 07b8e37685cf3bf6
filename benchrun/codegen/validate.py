"""Task validation: a task is only worth running if its check tells working adaptations
from broken ones. Four ways, all judged as samples are (codegen.judging), in the real
sandbox: the reference solution passes, the unmodified input fails, every committed
mutant (`mutants/<name>/`, a plausible mistake) fails, and every committed alternative
(`alternatives/<name>/`, a correct solution in another style) passes. A task folder
must ship at least MIN_MUTANTS mutants and MIN_ALTERNATIVES alternatives."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import attrs

from benchrun.codegen.judging import Judge
from benchrun.codegen.tasks import Task
from benchrun.sandboxes.base import Judgement, Limits, Sandbox

# What a benchmark gives a sample by default (1 GiB, 1 CPU); a task's own timeout wins.
DEFAULT_LIMITS = Limits(timeout_s=120.0, memory_bytes=1 << 30, cpus=1.0)
MIN_MUTANTS, MIN_ALTERNATIVES = 2, 2


@attrs.frozen
class TaskValidation:
    task: Task
    reference: Judgement  # must pass
    baseline: Judgement  # the unmodified input: must fail its check
    mutants: dict[str, Judgement] = attrs.field(factory=dict)  # each must fail its check
    alternatives: dict[str, Judgement] = attrs.field(factory=dict)  # each must pass

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def why(self) -> str:
        """Empty when the task discriminates; else what is wrong, with the output's end."""
        return "\n".join(self.problems)

    @property
    def problems(self) -> list[str]:
        problems = []
        if not self.reference.passed:
            problems.append(f"reference fails: {failure_tail(self.reference)}")
        problems += _must_fail("unmodified input", self.baseline)
        for name, judgement in self.mutants.items():
            problems += _must_fail(f"mutant {name}", judgement)
        for name, judgement in self.alternatives.items():
            if not judgement.passed:
                problems.append(f"alternative {name} fails: {failure_tail(judgement)}")
        if not self.task.harness:  # folder tasks; HumanEval packs bring no mutants
            if len(self.mutants) < MIN_MUTANTS:
                problems.append(f"{len(self.mutants)} mutants in mutants/ (at least {MIN_MUTANTS})")
            if len(self.alternatives) < MIN_ALTERNATIVES:
                problems.append(f"{len(self.alternatives)} alternatives in alternatives/ (at least {MIN_ALTERNATIVES})")
        return problems


def _must_fail(what: str, judgement: Judgement) -> list[str]:
    """A wrong program must run and be failed by the check, not merely hit a limit."""
    if judgement.passed:
        return [f"{what} passes the check: the check does not test what it should"]
    if judgement.check is None:
        return [f"{what} did not reach the check ({judgement.program.category}): {failure_tail(judgement)}"]
    return []


def failure_tail(judgement: Judgement, lines: int = 6) -> str:
    """The last lines of the check's stderr (its CHECK FAILED line or traceback), else the program's."""
    run = judgement.check or judgement.program
    text = (run.stderr or run.detail or run.stdout).strip()
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def validate_task(task: Task, judge: Judge) -> TaskValidation:
    return TaskValidation(
        task=task,
        reference=judge(task, task.reference),
        baseline=judge(task, task.program),
        mutants={name: judge(task, files) for name, files in task.mutants.items()},
        alternatives={name: judge(task, files) for name, files in task.alternatives.items()},
    )


def validate_tasks(
    tasks: Iterable[Task],
    sandbox: Sandbox,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int = 2,
    progress: Callable[[TaskValidation], None] | None = None,
) -> list[TaskValidation]:
    """Validate every task, `jobs` at a time; results in the order of `tasks`."""
    judge = Judge(sandbox, limits)

    def one(task: Task) -> TaskValidation:
        outcome = validate_task(task, judge)
        if progress:
            progress(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, list(tasks)))
