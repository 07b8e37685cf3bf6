"""Retrying transient model failures: exponential backoff with jitter, bounded in time.

A request is tried at most `max_attempts` times and never past `deadline_s` from the
first try, so a model that stays down fails its unit with a clear reason instead of
hanging the run.
"""
from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs

from benchrun.models.base import ModelError

T = TypeVar("T")


class Transient(Exception):
    """A failure worth trying again (429, 5xx, timeout, refused connection, garbage).

    `reason` is the ModelError reason used if retries run out; `retry_after_s` is the
    server's Retry-After hint when it gave one."""

    def __init__(self, reason: str, message: str, retry_after_s: float | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.retry_after_s = retry_after_s


@attrs.frozen
class RetryPolicy:
    max_attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    deadline_s: float = 300.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """Delay before retry number `retry` (0-based): equal jitter, i.e. half the
        exponential step plus a random part of the other half. Keeps clients that failed
        together from retrying together, and never collapses to zero."""
        step = min(self.max_delay_s, self.base_delay_s * 2**retry)
        return step / 2 + rng.uniform(0, step / 2)


@attrs.define
class RetryStats:
    attempts: int = 0
    delays: list[float] = attrs.Factory(list)


async def with_retries(
    call: Callable[[float], Awaitable[T]],
    policy: RetryPolicy,
    *,
    stats: RetryStats | None = None,
    rng: random.Random | None = None,
) -> T:
    """Run `call(remaining_s)` until it succeeds, raises a non-Transient error, or the
    attempts / deadline run out (then a ModelError with the last failure's reason).

    `call` gets the seconds left before the deadline so it can cap its own timeout."""
    rng = rng or random.Random()
    stats = stats if stats is not None else RetryStats()
    start = time.monotonic()
    last: Transient | None = None
    for attempt in range(policy.max_attempts):
        remaining = policy.deadline_s - (time.monotonic() - start)
        if remaining <= 0:
            break
        stats.attempts += 1
        try:
            return await call(remaining)
        except Transient as failure:
            last = failure
        if attempt + 1 == policy.max_attempts:
            break
        pause = policy.delay(attempt, rng)
        if last.retry_after_s is not None:
            pause = max(pause, min(last.retry_after_s, policy.max_delay_s))
        remaining = policy.deadline_s - (time.monotonic() - start)
        if pause >= remaining:
            break
        stats.delays.append(pause)
        await asyncio.sleep(pause)
    elapsed = time.monotonic() - start
    detail = last.message if last else "no attempt was made"
    raise ModelError(
        last.reason if last else "down",
        f"gave up after {stats.attempts} attempt(s) in {elapsed:.1f}s: {detail}",
    )
