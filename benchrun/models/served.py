"""Providers whose answers come from an OpenAI-compatible server they may start first
(the embedded llama.cpp model, vLLM). Subclasses say how to get the server; this class
starts it once on first use, forwards requests to it, and stops it at close."""
from __future__ import annotations

import asyncio
from typing import Any

from benchrun.models.base import Completion, GenerationParams, Messages, ModelError
from benchrun.models.openai import OpenAIProvider


class ServedProvider:
    cacheable = True

    def __init__(self) -> None:
        self._server: Any = None  # what _open started, if anything; given back to _release
        self._http: OpenAIProvider | None = None
        self._starting = asyncio.Lock()

    async def _open(self) -> tuple[OpenAIProvider, Any]:
        """Start or find the server: the client to talk to it, and the server handle."""
        raise NotImplementedError

    def _release(self, server: Any) -> None:
        """Stop (or let go of) a server _open started; runs in a worker thread."""
        server.stop()

    async def start(self) -> OpenAIProvider:
        """Start (or join) the server; called by the first generate or health."""
        async with self._starting:
            if self._http is None:
                self._http, self._server = await self._open()
            return self._http

    async def generate(
        self, messages: Messages, n: int, params: GenerationParams, *, task: Any = None, first_sample: int = 0
    ) -> list[Completion]:
        http = await self.start()
        return await http.generate(messages, n, params, first_sample=first_sample)

    @property
    def n_honoured(self) -> bool | None:
        """Whether the server returns n completions per request (None: not known yet)."""
        return None if self._http is None else self._http.n_honoured

    async def health(self) -> tuple[bool, str]:
        try:
            http = await self.start()
        except ModelError as error:
            return False, str(error)
        return await http.health()

    async def aclose(self) -> None:
        http, server = self._http, self._server
        self._http = self._server = None
        if http is not None:
            await http.aclose()
        if server is not None:
            await asyncio.to_thread(self._release, server)
