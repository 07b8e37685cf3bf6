"""From a spec's `ModelSpec` to a provider.

Options come from the `.bench` call, e.g. `openai("gpt-4o-mini", base_url = "...",
timeout = 30s)`; durations are already in seconds. PROVIDER_OPTIONS lists what each kind
accepts, so validation can reject a misspelt option before anything runs.
"""
from __future__ import annotations

from typing import Any

from benchrun.models.base import ModelError, Provider
from benchrun.models.local import LocalProvider
from benchrun.models.openai import OpenAIProvider
from benchrun.models.reference import IdentityProvider, OracleProvider
from benchrun.models.retry import RetryPolicy
from benchrun.models.vllm import VLLMProvider

_CLIENT = {"timeout", "max_attempts", "deadline", "backoff", "max_backoff", "concurrency", "context"}

# Options that change how a model is reached, not what it answers (unit ids leave them
# out): client timeouts, retries, concurrency, where the server is, how it is started.
# `context` stays in: it decides how prompts are truncated.
TRANSPORT_OPTIONS = frozenset(_CLIENT - {"context"} | {"base_url", "url", "api_key_env", "supports_n",
                                                       "startup_timeout", "threads"})
# Models whose answer ignores the prompt (the reference solution, the unchanged input).
PROMPT_FREE = frozenset({"oracle", "identity"})

PROVIDER_OPTIONS: dict[str, frozenset[str]] = {
    "openai": frozenset(_CLIENT | {"base_url", "api_key_env", "supports_n"}),
    "vllm": frozenset(_CLIENT | {"url", "args", "startup_timeout"}),
    "local": frozenset(_CLIENT | {"model", "threads", "startup_timeout"}),
    "oracle": frozenset(),
    "identity": frozenset(),
}


def make_provider(spec: Any) -> Provider:
    """`spec` is a benchrun.grammar.spec.ModelSpec (kind, name, model, options)."""
    kind = spec.kind
    if kind not in PROVIDER_OPTIONS:
        raise ModelError("bad_request", f"unknown model kind {kind!r}; known: {', '.join(PROVIDER_OPTIONS)}")
    options = dict(spec.options)
    unknown = sorted(set(options) - PROVIDER_OPTIONS[kind])
    if unknown:
        known = ", ".join(sorted(PROVIDER_OPTIONS[kind])) or "none"
        raise ModelError("bad_request", f"{kind}(...) has no option {', '.join(unknown)}; its options: {known}")

    if kind == "oracle":
        return OracleProvider(spec.name)
    if kind == "identity":
        return IdentityProvider(spec.name)

    defaults = {"openai": (60.0, 4), "vllm": (120.0, 8), "local": (300.0, 2)}[kind]
    retry = RetryPolicy(
        max_attempts=int(options.get("max_attempts", 3 if kind == "local" else 5)),
        base_delay_s=float(options.get("backoff", 0.5)),
        max_delay_s=float(options.get("max_backoff", 20.0)),
        deadline_s=float(options.get("deadline", 600.0)),
    )
    client = {
        "timeout_s": float(options.get("timeout", defaults[0])),
        "retry": retry,
        "concurrency": int(options.get("concurrency", defaults[1])),
    }
    context = options.get("context")

    if kind == "openai":
        if not spec.model:
            raise ModelError("bad_request", 'openai(...) needs a model name, e.g. openai("gpt-4o-mini")')
        return OpenAIProvider(
            spec.model, name=spec.name, base_url=options.get("base_url"),
            api_key_env=options.get("api_key_env", "OPENAI_API_KEY"),
            supports_n=bool(options.get("supports_n", True)),
            context_tokens=int(context) if context else None, **client,
        )
    if kind == "vllm":
        if not spec.model:
            raise ModelError("bad_request", 'vllm(...) needs a model, e.g. vllm("Qwen/Qwen2.5-Coder-7B-Instruct")')
        return VLLMProvider(
            spec.model, name=spec.name, url=options.get("url"), args=str(options.get("args", "")),
            startup_timeout_s=float(options.get("startup_timeout", 900.0)),
            context_tokens=int(context) if context else None, **client,
        )
    return LocalProvider(
        options.get("model") or spec.model, name=spec.name, threads=int(options.get("threads", 2)),
        context_tokens=int(context or 4096), startup_timeout_s=float(options.get("startup_timeout", 120.0)),
        **client,
    )
