"""A blocking front for the async providers, for workloads that run in worker threads.

One runner owns one event loop on a background thread; every provider it makes lives on
that loop, so their semaphores and HTTP connection pools are shared by all callers and
concurrency stays bounded per provider however many threads call in.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any

from benchrun.models.base import Completion, GenerationParams, Messages, ModelError, Provider
from benchrun.models.providers import make_provider


class ProviderRunner:
    """Usage::

        with ProviderRunner() as runner:
            completions = runner.generate(model_spec, messages, 1, params, task=task, first_sample=i)

    Providers are made on first use, one per distinct ModelSpec, and closed (servers
    stopped) when the runner closes."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="benchrun-models", daemon=True)
        self._thread.start()
        self._providers: dict[tuple, Provider] = {}
        self._lock = threading.Lock()
        self._in_flight: set[concurrent.futures.Future] = set()

    def __enter__(self) -> ProviderRunner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def run(self, coroutine: Any, timeout: float | None = None) -> Any:
        """Run a coroutine on the runner's loop and wait for its result.

        Raises ModelError("cancelled") when `cancel()` stopped it."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        with self._lock:
            self._in_flight.add(future)
        try:
            return future.result(timeout)
        except concurrent.futures.CancelledError:
            raise ModelError("cancelled", "the run was stopped before the model answered") from None
        finally:
            with self._lock:
                self._in_flight.discard(future)

    def cancel(self) -> None:
        """Stop every request in flight (e.g. on Ctrl-C): their callers get a ModelError
        at once instead of waiting for the model."""
        with self._lock:
            in_flight = list(self._in_flight)
        for future in in_flight:
            future.cancel()

    def provider(self, spec: Any) -> Provider:
        """The provider of a ModelSpec (made once), or a Provider passed as is."""
        if hasattr(spec, "generate"):
            return spec
        key = (spec.kind, spec.name, spec.model, spec.options)  # not the source location
        with self._lock:
            if key not in self._providers:
                self._providers[key] = make_provider(spec)
            return self._providers[key]

    def generate(self, spec: Any, messages: Messages, n: int, params: GenerationParams, *,
                 task: Any = None, first_sample: int = 0) -> list[Completion]:
        provider = self.provider(spec)
        return self.run(provider.generate(messages, n, params, task=task, first_sample=first_sample))

    def health(self, spec: Any) -> tuple[bool, str]:
        return self.run(self.provider(spec).health())

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self.cancel()
        with self._lock:
            providers, self._providers = list(self._providers.values()), {}
        for provider in providers:
            try:
                self.run(provider.aclose(), timeout=30)
            except Exception:  # closing must go on for the others
                pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
