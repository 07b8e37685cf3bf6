"""The model providers a spec can name, each declared once: its options (with types,
defaults and limits) and how it is built from a spec's `ModelSpec`.

`openai("gpt-4o-mini", base_url = "...", timeout = 30s)` in a spec is checked against the
entry's options; durations arrive in seconds. Heavy clients are imported when a provider
is built, not when a spec is checked. A plugin adds a provider through the entry-point
group `benchrun.providers` (see benchrun.registry).
"""
from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from benchrun.models.base import ModelError, Provider
from benchrun.registry import Duration, Entry, File, Flag, Int, Option, Price, Registry, Text

if TYPE_CHECKING:
    from benchrun.models.openai import ClientOptions


@attrs.frozen(kw_only=True)
class ProviderEntry(Entry):
    """`build(spec, options)`: the provider, from the spec and its options with their
    defaults filled in. `prompt_free`: its answers ignore the prompt (the reference
    solution, the unchanged input), so a unit's id leaves the prompt out."""

    build: Callable[[Any, dict[str, Any]], Provider]
    prompt_free: bool = False


PROVIDERS: Registry[ProviderEntry] = Registry("providers", "model", ProviderEntry, {
    "openai": "benchrun.models.providers:OPENAI",
    "vllm": "benchrun.models.providers:VLLM",
    "local": "benchrun.models.providers:LOCAL",
    "oracle": "benchrun.models.providers:ORACLE",
    "identity": "benchrun.models.providers:IDENTITY",
})


def client_options(timeout: float, concurrency: int, attempts: int) -> tuple[Option, ...]:
    """What every HTTP provider accepts: timeouts, retries, requests at once, context,
    price. Only `context` changes answers (it decides how prompts are truncated)."""
    transport = functools.partial(Option, affects_result=False)
    return (
        transport("timeout", Duration(), "one request's time limit", timeout),
        transport("max_attempts", Int(1), "tries per request", attempts),
        transport("deadline", Duration(), "all tries of one request together", 600.0),
        transport("backoff", Duration(), "first wait between tries", 0.5),
        transport("max_backoff", Duration(), "longest wait between tries", 20.0),
        transport("concurrency", Int(1), "requests at once", concurrency),
        Option("context", Int(1), "context window in tokens; prompts are fitted to it"),
        transport("price", Price(), "USD per million prompt and completion tokens (see models/prices.py)"),
    )


def _client(options: dict[str, Any]) -> ClientOptions:
    from benchrun.models.retry import RetryPolicy

    retry = RetryPolicy(max_attempts=int(options["max_attempts"]), base_delay_s=float(options["backoff"]),
                        max_delay_s=float(options["max_backoff"]), deadline_s=float(options["deadline"]))
    return {"timeout_s": float(options["timeout"]), "retry": retry, "concurrency": int(options["concurrency"])}


def _context(options: dict[str, Any]) -> int | None:
    return int(options["context"]) if options.get("context") else None


def _openai(spec: Any, options: dict[str, Any]) -> Provider:
    from benchrun.models.openai import OpenAIProvider

    return OpenAIProvider(spec.model, name=spec.name, base_url=options.get("base_url"),
                          api_key_env=options["api_key_env"], supports_n=bool(options["supports_n"]),
                          context_tokens=_context(options), **_client(options))


def _vllm(spec: Any, options: dict[str, Any]) -> Provider:
    from benchrun.models.vllm import VLLMProvider

    return VLLMProvider(spec.model, name=spec.name, url=options.get("url"), args=str(options.get("args", "")),
                        startup_timeout_s=float(options["startup_timeout"]), context_tokens=_context(options),
                        **_client(options))


def _local(spec: Any, options: dict[str, Any]) -> Provider:
    from benchrun.models.local import LocalProvider

    return LocalProvider(options.get("model") or spec.model, name=spec.name, threads=int(options["threads"]),
                         context_tokens=int(options.get("context") or 4096),
                         startup_timeout_s=float(options["startup_timeout"]), slots=int(options["slots"]),
                         **_client(options))


def _oracle(spec: Any, options: dict[str, Any]) -> Provider:
    from benchrun.models.reference import OracleProvider

    return OracleProvider(spec.name)


def _identity(spec: Any, options: dict[str, Any]) -> Provider:
    from benchrun.models.reference import IdentityProvider

    return IdentityProvider(spec.name)


OPENAI = ProviderEntry(
    name="openai", doc="any OpenAI-compatible chat completions API", build=_openai,
    options=(Option("model", Text(), "the model's name at the API", required=True, positional=True),
             Option("base_url", Text(), "the API's address (default: OpenAI's)", affects_result=False),
             Option("api_key_env", Text(), "environment variable holding the key", "OPENAI_API_KEY",
                    affects_result=False),
             Option("supports_n", Flag(), "the server returns n completions per request", True,
                    affects_result=False),
             *client_options(timeout=60.0, concurrency=4, attempts=5)))
VLLM = ProviderEntry(
    name="vllm", doc="a vLLM server: started by benchrun, or reached at `url`", build=_vllm,
    options=(Option("model", Text(), "the Hugging Face model to serve", required=True, positional=True),
             Option("url", Text(), "a running server's address; none: benchrun starts one", affects_result=False),
             Option("args", Text(), "extra `vllm serve` arguments"),
             Option("startup_timeout", Duration(), "how long the server may take to start", 900.0,
                    affects_result=False),
             *client_options(timeout=120.0, concurrency=8, attempts=5)))
LOCAL = ProviderEntry(
    name="local", doc="the embedded llama.cpp server (SmolLM2-135M-Instruct unless `model` names a .gguf)",
    build=_local,
    options=(Option("model", File((".gguf",)), "a .gguf model file", positional=True),
             Option("threads", Int(1), "CPU threads of the server", 2, affects_result=False),
             Option("slots", Int(1), "requests the server decodes at once (continuous batching)", 2,
                    affects_result=False),
             Option("startup_timeout", Duration(), "how long the server may take to start", 120.0,
                    affects_result=False),
             *client_options(timeout=300.0, concurrency=2, attempts=3)))
ORACLE = ProviderEntry(name="oracle", doc="answers with the task's reference solution", build=_oracle,
                       prompt_free=True)
IDENTITY = ProviderEntry(name="identity", doc="answers with the unchanged input program", build=_identity,
                         prompt_free=True)


def result_options(spec: Any) -> dict[str, Any]:
    """The options of a model that decide its answers (a unit's id holds these)."""
    entry = PROVIDERS.get(spec.kind)
    return {k: v for k, v in spec.options if (o := entry.option(k)) is None or o.affects_result}


def display_name(kind: str, options: dict[str, Any]) -> str:
    """How reports name a model: `openai:gpt-4o-mini`, `local:x.gguf`, `oracle`."""
    model = options.get("model")
    if model is None:
        return kind
    return f"{kind}:{os.path.basename(model) if os.path.isabs(str(model)) else model}"


def make_provider(spec: Any) -> Provider:
    """`spec` is a ModelSpec (kind, name, model, options)."""
    if spec.kind not in PROVIDERS:
        raise ModelError("bad_request", PROVIDERS.unknown(spec.kind))
    entry = PROVIDERS.get(spec.kind)
    options = dict(spec.options)
    unknown = sorted(set(options) - {o.name for o in entry.options})
    if unknown:
        known = ", ".join(o.name for o in entry.options) or "none"
        raise ModelError("bad_request", f"{spec.kind}(...) has no option {', '.join(unknown)}; its options: {known}")
    missing = [o.name for o in entry.options if o.required and o.name not in options and
               not (o.name == "model" and spec.model)]
    if missing:
        raise ModelError("bad_request", f"{spec.kind}(...) needs a model name, e.g. {spec.kind}(\"...\")"
                         if missing == ["model"] else f"{spec.kind}(...) needs {', '.join(missing)}")
    return entry.build(spec, {**entry.defaults(), **options})
