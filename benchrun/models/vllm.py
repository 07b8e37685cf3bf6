"""`vllm("org/model")`: a vLLM server, either one benchrun starts or one already running.

With `url=...` benchrun connects to that server. Otherwise it runs
`vllm serve MODEL --host 127.0.0.1 --port P` when vllm is installed and a GPU is visible,
waits until /v1/models answers (loading weights can take minutes), keeps the server's
output in a log file and stops it when the provider closes.
"""
from __future__ import annotations

import asyncio
import importlib.util
import shlex
import shutil
import subprocess
import sys
from typing import Any

from benchrun.models.base import ModelError
from benchrun.models.openai import ClientOptions, OpenAIProvider
from benchrun.models.retry import RetryPolicy
from benchrun.models.served import ServedProvider
from benchrun.models.server import ManagedServer

NOT_POSSIBLE = "pass url=... to use a running vLLM server"


def gpu_visible() -> bool:
    """A CUDA device through torch if torch is installed, else through nvidia-smi."""
    if importlib.util.find_spec("torch") is not None:
        try:
            import torch

            return bool(torch.cuda.is_available())
        except Exception:  # a broken CUDA install is "no GPU" for our purpose
            return False
    if shutil.which("nvidia-smi") is None:
        return False
    try:
        listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return listed.returncode == 0 and "GPU" in listed.stdout


def why_vllm_cannot_start() -> str | None:
    """None when `vllm serve` can run here, else the reason in words."""
    if importlib.util.find_spec("vllm") is None:
        return f"vllm is not installed; {NOT_POSSIBLE}"
    if not gpu_visible():
        return f"no GPU found; {NOT_POSSIBLE}"
    return None


class VLLMProvider(ServedProvider):

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        url: str | None = None,
        args: str = "",
        timeout_s: float = 120.0,
        retry: RetryPolicy = RetryPolicy(),
        concurrency: int = 8,
        context_tokens: int | None = None,
        startup_timeout_s: float = 900.0,
    ):
        self.model = model
        self.name = name or f"vllm:{model}"
        self.url = url.rstrip("/") if url else None
        self.args = args
        self.context_tokens = context_tokens
        self.startup_timeout_s = startup_timeout_s
        self._client_options: ClientOptions = {"timeout_s": timeout_s, "retry": retry, "concurrency": concurrency}
        super().__init__()

    def describe(self) -> dict[str, Any]:
        return {"kind": "vllm", "model": self.model, "url": self.url}

    def launch_command(self, port: int) -> list[str]:
        vllm = shutil.which("vllm")
        head = [vllm] if vllm else [sys.executable, "-m", "vllm.entrypoints.cli.main"]
        return [*head, "serve", self.model, "--host", "127.0.0.1", "--port", str(port), *shlex.split(self.args)]

    async def _open(self) -> tuple[OpenAIProvider, ManagedServer | None]:
        base_url, server = self.url, None
        if base_url is None:
            reason = why_vllm_cannot_start()
            if reason:
                raise ModelError("unavailable", reason)
            server = ManagedServer("vllm", self.launch_command, startup_timeout_s=self.startup_timeout_s)
            await asyncio.to_thread(server.start)
            base_url = server.base_url
        elif not base_url.endswith("/v1"):
            base_url += "/v1"
        http = OpenAIProvider(self.model, name=self.name, base_url=base_url, kind="vllm",
                              context_tokens=self.context_tokens, **self._client_options)
        return http, server
