"""Judging a program for a task: run it in the sandbox, then let the judge run the check.

The unmodified program's run (what `original_output()` compares against) is made once per
task per Judge, from a pristine copy of the task's inputs, and handed to every check of
that task: no check re-runs it, and no sample can alter it.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future

import attrs

from benchrun.codegen.tasks import RUN_ENV, Task, after_commands, check_request, harness_key, program_command, program_files
from benchrun.errors import BenchrunError
from benchrun.sandboxes.base import SANDBOX_ERROR, Judgement, Limits, Sandbox


class SandboxFailure(BenchrunError):
    """The sandbox itself failed (engine gone, container lost): the sample was not measured."""


class Judge:
    """Judges programs in one sandbox; thread-safe, as the run's workers share it."""

    def __init__(self, sandbox: Sandbox, limits: Limits) -> None:
        self.sandbox, self.limits = sandbox, limits
        self._originals: dict[str, Future] = {}
        self._lock = threading.Lock()

    def limits_for(self, task: Task) -> Limits:
        """A task's own timeout wins (for the program, and again for its check)."""
        return attrs.evolve(self.limits, timeout_s=task.timeout) if task.timeout else self.limits

    def __call__(self, task: Task, program: str | dict[str, str]) -> Judgement:
        key = harness_key(task)
        request = check_request(task, self.original(task), key)
        judgement = self.sandbox.judge(program_files(task, program, key), program_command(task), request,
                                       self.limits_for(task), RUN_ENV, after_commands(task))
        for run in (judgement.program, *judgement.after, judgement.check):
            if run is not None and run.category == SANDBOX_ERROR:
                raise SandboxFailure(run.detail or run.stderr[-500:] or "the sandbox could not run the sample")
        return judgement

    def original(self, task: Task) -> dict | None:
        """The unmodified program's rc, stdout and stderr (None for harness tasks such as
        HumanEval, whose checks never compare with it); run on first need, then kept."""
        if task.harness:
            return None
        with self._lock:
            future = self._originals.get(task.digest)
            first = future is None
            if future is None:
                future = self._originals[task.digest] = Future()
        if first:
            try:
                run = self.sandbox.run(program_files(task, task.program), program_command(task),
                                       self.limits_for(task), RUN_ENV)
                if run.category == SANDBOX_ERROR:
                    raise SandboxFailure(run.detail or "the sandbox could not run the original program")
                future.set_result({"rc": run.exit_code, "stdout": run.stdout, "stderr": run.stderr})
            except BaseException as error:  # the next sample of this task tries again
                with self._lock:
                    del self._originals[task.digest]
                future.set_exception(error)
                raise
        return future.result()
