"""Every way a sample can fail, and whether it counts in n, declared once.

A failure that counts in n is the model's: the same prompt would fail the same way, so the
sample is recorded (its unit is "done", `passed = false`, the samples table's `failure`
names the category). One that does not count could not be measured: its unit fails, runs
again on resume, and until then its cell is incomplete (docs/results.md, "What counts").
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any

from benchrun.models import base as model
from benchrun.sandboxes import base as sandbox


class Failure(StrEnum):
    # The program was judged and did not pass.
    NO_CODE = "no_code"
    SYNTAX_ERROR = "syntax_error"
    RUNTIME_ERROR = "runtime_error"  # the program itself exited non-zero, or could not be cleaned up to be judged
    CHECK_FAILED = "check_failed"  # the program ran; the checks found the adaptation wrong
    TIMEOUT = sandbox.TIMEOUT  # a sandbox limit stopped the program: the sandbox's category
    MEMORY = sandbox.MEMORY
    PIDS = sandbox.PIDS
    OUTPUT_LIMIT = sandbox.OUTPUT_LIMIT
    # The model's answer to this prompt, which it would give again (models.PROMPT_REASONS).
    CONTEXT_OVERFLOW = "context_overflow"
    REFUSED = "refused"
    EXTRACTION_ERROR = "extraction_error"  # the answer breaks code extraction
    # Not measured: the unit fails and runs again.
    PROMPT = "prompt"  # the prompt could not be built (a strategy's file missing, ...)
    MODEL = "model"  # the model stayed down after its retries, or the block's budget refused the request
    SANDBOX = "sandbox"  # the sandbox could not run the sample (engine lost, container gone), after its tries

    @property
    def counts_in_n(self) -> bool:
        return self not in UNMEASURED


UNMEASURED = frozenset({Failure.PROMPT, Failure.MODEL, Failure.SANDBOX})
# A sample stopped by a sandbox limit keeps the sandbox's category as its failure.
LIMITS = frozenset({Failure.TIMEOUT, Failure.MEMORY, Failure.PIDS, Failure.OUTPUT_LIMIT})
# A model error's reason -> the failure of the sample, for the reasons that count in n.
FROM_MODEL = {model.CONTEXT: Failure.CONTEXT_OVERFLOW, model.REFUSED: Failure.REFUSED}


class SampleFailed(Exception):
    """A step of a sample's life (workload._Sample) stopped it: why, in words, and any row
    fields the step still has to add (the extraction step's "error")."""

    def __init__(self, failure: Failure, detail: str, fields: dict[str, Any] | None = None):
        super().__init__(f"{failure}: {detail}")
        self.failure, self.detail, self.fields = failure, detail, fields or {}
