"""Any OpenAI-compatible chat endpoint: OpenAI, vLLM, llama.cpp server, Ollama, ...

The openai client's own retries are switched off: benchrun retries 429 / 5xx / timeouts /
refused connections / malformed answers itself (see retry.py), so the attempts and the
total time a request may take are known and configurable.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
import uuid
from typing import Any, TypedDict

import attrs
import openai

from benchrun.models.base import CONTEXT, REFUSED, Bounded, Completion, GenerationParams, Messages, ModelError
from benchrun.models.retry import RetryPolicy, RetryStats, Transient, with_retries

log = logging.getLogger(__name__)

# Servers with no key still need a non-empty one in the client.
NO_KEY = "not-needed"


class ClientOptions(TypedDict):
    """How an OpenAIProvider talks to its server, as the providers that start one hand it on."""

    timeout_s: float
    retry: RetryPolicy
    concurrency: int


class OpenAIProvider:
    """Chat completions over HTTP.

    `supports_n`: ask for several samples in one request with `n=`, so the prompt is
    sent (and paid) once. Whether the server honours `n` is found out by the first such
    request, not assumed: a server that returns fewer choices (llama.cpp returns one) or
    refuses `n` gets the missing samples as separate requests, each with its own seed
    (seed + sample index), and so does every later request; `n_fallback` says why."""

    cacheable = True

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        base_url: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        timeout_s: float = 60.0,
        retry: RetryPolicy = RetryPolicy(),
        concurrency: int = 4,
        supports_n: bool = True,
        context_tokens: int | None = None,
        kind: str = "openai",
    ):
        self.model = model
        self.name = name or f"{kind}:{model}"
        self.kind = kind
        self.base_url = base_url
        self.api_key_env = api_key_env
        self.timeout_s = timeout_s
        self.retry = retry
        self.bounded = Bounded(concurrency)
        self.supports_n = supports_n
        self.context_tokens = context_tokens
        self.stats = RetryStats()  # attempts and backoff delays over this provider's life
        self.n_honoured: bool | None = None if supports_n else False  # None: not asked yet
        self.n_fallback: str | None = None if supports_n else "supports_n = off"
        self._probing = asyncio.Lock()  # one request finds out about n; the others wait for it
        self._client: openai.AsyncOpenAI | None = None

    # ------------------------------------------------------------------ interface

    def describe(self) -> dict[str, Any]:
        # What decides the answer: the model and where it is served (not the key,
        # not timeouts or concurrency).
        return {"kind": self.kind, "model": self.model, "base_url": self.base_url}

    async def generate(
        self,
        messages: Messages,
        n: int,
        params: GenerationParams,
        *,
        task: Any = None,
        first_sample: int = 0,
    ) -> list[Completion]:
        if n < 1:
            return []
        if n == 1:
            return [await self._one(messages, params, first_sample)]
        got: list[Completion] = []
        if self.n_honoured is None:
            async with self._probing:
                if self.n_honoured is None:
                    got = await self._probe(messages, params, first_sample, n)
        if self.n_honoured and not got:
            got = await self._request(messages, params, first_sample, n)
        if self.n_honoured:
            return got[:n]
        rest = await asyncio.gather(*(self._one(messages, params, first_sample + i) for i in range(len(got), n)))
        return [attrs.evolve(c, n_fallback=self.n_fallback) for c in [*got, *rest]]

    async def health(self) -> tuple[bool, str]:
        try:
            client = self.client()
            listed = await client.with_options(timeout=min(self.timeout_s, 10.0)).models.list()
            ids = [m.id for m in listed.data]
        except ModelError as error:
            return False, str(error)
        except openai.AuthenticationError:
            return False, f"auth: the key in ${self.api_key_env} was refused"
        except openai.APIConnectionError as error:
            return False, f"down: {self._where()} does not answer ({error})"
        except (openai.APIError, ValueError) as error:
            return False, f"bad_response: {error}"
        served = "" if not ids or self.model in ids else f" (it serves {', '.join(ids[:3])}, not {self.model})"
        return True, f"{self._where()} answers{served}"

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    # ------------------------------------------------------------------ requests

    def client(self) -> openai.AsyncOpenAI:
        if self._client is None:
            key = os.environ.get(self.api_key_env)
            if not key:
                if self.base_url is None:  # the real OpenAI API needs a key
                    raise ModelError("auth", f"set ${self.api_key_env} to your API key (or pass base_url=...)")
                key = NO_KEY
            self._client = openai.AsyncOpenAI(
                api_key=key, base_url=self.base_url, timeout=self.timeout_s, max_retries=0
            )
        return self._client

    async def _probe(self, messages: Messages, params: GenerationParams, sample: int, n: int) -> list[Completion]:
        """The first request with n > 1: its completions, and the verdict on `n` kept for
        every later request (a server refusing `n` is asked again without it)."""
        try:
            got = await self._request(messages, params, sample, n)
        except ModelError as error:
            if error.reason not in ("bad_request", CONTEXT):  # a 400 about n may mention "exceed"
                raise
            got = await self._request(messages, params, sample, 1)  # fails alike if n was not the cause
            self._decide(f"{self._where()} refused n={n}: {error.message}")
            return got
        self._decide(None if len(got) >= n else f"{self._where()} returned {len(got)} of {n} completions asked for with n")
        return got

    def _decide(self, fallback: str | None) -> None:
        self.n_honoured, self.n_fallback = fallback is None, fallback
        if fallback:
            log.warning("%s; asking once per sample from now on", fallback)

    async def _one(self, messages: Messages, params: GenerationParams, sample: int) -> Completion:
        return (await self._request(messages, params, sample, 1))[0]

    async def _request(self, messages: Messages, params: GenerationParams, sample: int, n: int) -> list[Completion]:
        client = self.client()
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": params.temperature,
            "max_tokens": params.max_tokens,
        }
        if params.seed is not None:
            body["seed"] = params.seed_for(sample)
        if params.stop:
            body["stop"] = list(params.stop)
        if n > 1:
            body["n"] = n

        async def attempt(remaining_s: float) -> list[Completion]:
            async with self.bounded.semaphore:
                start = time.monotonic()
                try:
                    response = await client.with_options(timeout=min(self.timeout_s, remaining_s)).chat.completions.create(**body)
                except openai.APIStatusError as error:
                    raise self._classify(error) from error
                except openai.APITimeoutError as error:
                    raise Transient("down", f"{self._where()} did not answer within {self.timeout_s:g}s") from error
                except openai.APIConnectionError as error:
                    raise Transient("down", f"cannot connect to {self._where()}: {error}") from error
                except (json.JSONDecodeError, ValueError, openai.APIResponseValidationError) as error:
                    raise Transient("bad_response", f"{self._where()} sent a malformed answer: {error}") from error
                return _completions(response, time.monotonic() - start, n, self._where())

        return await with_retries(attempt, self.retry, stats=self.stats)

    def _classify(self, error: openai.APIStatusError) -> Exception:
        status = error.status_code
        detail = f"{self._where()} answered {status}: {_message(error)}"
        if status == 429 or status >= 500:
            return Transient("server", detail, _retry_after(error))
        if status in (401, 403):
            return ModelError("auth", f"{detail} (check ${self.api_key_env})")
        return ModelError(prompt_reason(status, detail) or "bad_request", detail)

    def _where(self) -> str:
        return f"{self.name} at {self.base_url}" if self.base_url else self.name


def _completions(response: Any, latency_s: float, n: int, where: str) -> list[Completion]:
    choices = getattr(response, "choices", None)
    if not choices:
        raise Transient("bad_response", f"{where} sent an answer without choices")
    usage = getattr(response, "usage", None)
    prompt = getattr(usage, "prompt_tokens", None)
    generated = getattr(usage, "completion_tokens", None)
    request_id = uuid.uuid4().hex[:16]
    out = []
    for i, choice in enumerate(sorted(choices, key=lambda c: c.index or 0)):
        message = getattr(choice, "message", None)
        text = getattr(message, "content", None)
        if not isinstance(text, str):
            raise Transient("bad_response", f"{where} sent a choice without text content")
        # Usage is per request: the prompt goes on the first sample only (it was sent
        # once), the completion tokens are split so that they still add up.
        tokens_in = prompt if i == 0 or prompt is None else 0
        tokens_out = None if generated is None else generated // len(choices) + (i < generated % len(choices))
        out.append(Completion(text, tokens_in, tokens_out, latency_s, choice.finish_reason, request_id))
    return out


# How OpenAI, vLLM and llama.cpp word "this prompt is too long" and "this prompt is refused".
_CONTEXT_WORDS = re.compile(r"context|too long|too large|too many tokens|maximum.{0,40}tokens|exceed", re.IGNORECASE)
_REFUSAL_WORDS = re.compile(r"content.?filter|content.management|safety|policy|flagged", re.IGNORECASE)


def prompt_reason(status: int, detail: str) -> str | None:
    """CONTEXT or REFUSED when a 4xx answer is about this prompt (it would recur), else None
    (a wrong model name or parameter is the setup's fault, not the prompt's)."""
    if status not in (400, 413, 422):
        return None
    if _CONTEXT_WORDS.search(detail):
        return CONTEXT
    if _REFUSAL_WORDS.search(detail):
        return REFUSED
    return None


def _message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return error.message


def _retry_after(error: openai.APIStatusError) -> float | None:
    value = error.response.headers.get("retry-after")
    try:
        return None if value is None else float(value)
    except ValueError:
        return None
