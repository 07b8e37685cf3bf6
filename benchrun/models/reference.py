"""`oracle` and `identity`: providers that answer from the task, not from a model.

oracle answers with the task's reference solution (the ceiling: every check should
pass), identity with the unmodified input (the floor: the capability is missing). Both
answer in the same shape as a model, one fenced python block of the entry file, so they
go through the same extraction and sandbox path and validate it.
"""
from __future__ import annotations

from typing import Any

from benchrun.models.base import Completion, GenerationParams, Messages, ModelError


def fenced(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```\n"


class _FromTask:
    kind = ""
    cacheable = False  # the answer depends on the task, not on the messages
    context_tokens = None

    def __init__(self, name: str | None = None):
        self.name = name or self.kind

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def source(self, task: Any) -> str:
        raise NotImplementedError

    async def generate(
        self, messages: Messages, n: int, params: GenerationParams, *, task: Any = None, first_sample: int = 0
    ) -> list[Completion]:
        if task is None:
            raise ModelError("bad_request", f"{self.name} answers from the task: pass task=... to generate")
        text = fenced(self.source(task))
        return [Completion(text, 0, 0, 0.0, "stop") for _ in range(n)]

    async def health(self) -> tuple[bool, str]:
        return True, "answers from the task files (no model)"

    async def aclose(self) -> None:
        pass


class OracleProvider(_FromTask):
    kind = "oracle"

    def source(self, task: Any) -> str:
        try:
            return task.reference[task.entry]
        except KeyError:
            raise ModelError("bad_request", f"task {task.id} has no reference solution for {task.entry}") from None


class IdentityProvider(_FromTask):
    kind = "identity"

    def source(self, task: Any) -> str:
        try:
            return task.inputs[task.entry]
        except KeyError:
            raise ModelError("bad_request", f"task {task.id} has no input file {task.entry}") from None
