"""The provider interface every model sits behind.

A provider turns chat messages into completions. Everything is async so one event loop
can keep several requests in flight; each provider bounds its own concurrency with a
semaphore, so a slow local model is not flooded while a fast API is kept busy.
"""
from __future__ import annotations

import asyncio
from typing import Any, Protocol, runtime_checkable

import attrs

from benchrun.errors import BenchrunError

Messages = list[dict[str, str]]


@attrs.frozen
class GenerationParams:
    """Sampling settings of one request. `seed` is the base seed: sample i uses seed + i,
    so the n samples of a prompt are n distinct, reproducible draws."""

    temperature: float = 0.8
    max_tokens: int = 512
    seed: int | None = 0
    stop: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def seed_for(self, sample_index: int) -> int | None:
        return None if self.seed is None else self.seed + sample_index


@attrs.frozen
class Completion:
    text: str
    tokens_in: int | None
    tokens_out: int | None
    latency_s: float
    finish_reason: str | None  # "stop", "length", ... as the server said
    # The HTTP request that returned it: the samples of one request share it, and only
    # the first of them carries the request's prompt tokens (the prompt is paid once).
    request_id: str | None = None
    # Why this sample came from a request of its own although several were asked for
    # (the server ignored or refused `n`); None when it did not.
    n_fallback: str | None = None


# Reasons that belong to the prompt, not to the service: asking again gets the same answer.
CONTEXT = "context"
REFUSED = "refused"
PROMPT_REASONS = frozenset({CONTEXT, REFUSED})


class ModelError(BenchrunError):
    """A model could not answer. `reason` is one word a report can group by:
    down (unreachable or timing out), auth, bad_request, bad_response, unavailable
    (cannot be started here), server (kept answering 5xx / 429), cancelled (the run
    was stopped); and two the model gives for this prompt, every time it is asked
    (PROMPT_REASONS): context (the prompt does not fit the model's context) and refused
    (a content filter or policy turned the prompt down)."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason, message)  # both in args, so it pickles (Ray, processes)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


@runtime_checkable
class Provider(Protocol):
    """What the codegen workload talks to.

    `generate` returns samples first_sample .. first_sample + n - 1 of the prompt.
    `task` is only read by task-aware providers (oracle, identity); HTTP providers
    ignore it. `cacheable` is False for providers whose answer does not depend on the
    messages alone (oracle, identity), so they are never stored in the completion cache.
    `context_tokens` is the model's context window when known (for prompt budgets).
    """

    name: str
    cacheable: bool

    @property
    def context_tokens(self) -> int | None: ...  # read-only: a provider may hold a plain int or None

    async def generate(
        self,
        messages: Messages,
        n: int,
        params: GenerationParams,
        *,
        task: Any = None,
        first_sample: int = 0,
    ) -> list[Completion]: ...

    async def health(self) -> tuple[bool, str]: ...

    def describe(self) -> dict[str, Any]: ...

    async def aclose(self) -> None: ...


class Bounded:
    """A per-provider limit on requests in flight.

    The semaphore is created on first use, inside the loop that runs the requests
    (an asyncio.Semaphore belongs to one loop)."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ModelError("bad_request", f"concurrency must be at least 1, not {limit}")
        self.limit = limit
        self._semaphore: asyncio.Semaphore | None = None

    @property
    def semaphore(self) -> asyncio.Semaphore:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.limit)
        return self._semaphore
