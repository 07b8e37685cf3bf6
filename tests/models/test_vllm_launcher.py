"""vllm(...): launched here only with vllm and a GPU; otherwise a clear error, or a URL."""
from __future__ import annotations

import asyncio

import pytest
from fault_server import FaultServer

from benchrun.grammar.spec import Loc, ModelSpec
from benchrun.models import GenerationParams, ModelError, VLLMProvider, make_provider
from benchrun.models.vllm import why_vllm_cannot_start

LOC = Loc("test.bench", 1, 1)
CANNOT = why_vllm_cannot_start()


@pytest.mark.gpu
@pytest.mark.skipif(CANNOT is not None, reason=f"cannot launch vLLM here: {CANNOT}")
def test_launches_vllm_serve_and_completes(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCHRUN_LOG_DIR", str(tmp_path))
    provider = VLLMProvider("Qwen/Qwen2.5-0.5B-Instruct", args="--max-model-len 2048 --gpu-memory-utilization 0.5")

    async def go():
        try:
            ok, detail = await provider.health()
            assert ok, detail
            return await provider.generate([{"role": "user", "content": "Say hi"}], 2, GenerationParams(max_tokens=8))
        finally:
            await provider.aclose()

    completions = asyncio.run(go())
    assert len(completions) == 2 and all(c.tokens_out for c in completions)
    assert any(tmp_path.glob("vllm-*.log"))


@pytest.mark.gpu  # skips only where a GPU is
@pytest.mark.skipif(CANNOT is None, reason="vllm and a GPU are present: the launcher is tested instead")
def test_without_vllm_or_gpu_the_error_says_what_to_do():
    provider = make_provider(ModelSpec("vllm", "vllm:m", "org/model", (), LOC))
    with pytest.raises(ModelError) as error:
        asyncio.run(provider.generate([{"role": "user", "content": "x"}], 1, GenerationParams()))
    assert error.value.reason == "unavailable"
    assert "pass url=... to use a running vLLM server" in str(error.value)
    assert "vllm is not installed" in str(error.value) or "no GPU found" in str(error.value)


def test_url_connects_to_a_running_server():
    # The fault server stands in for a running vLLM: both speak the OpenAI API.
    with FaultServer() as server:
        spec = ModelSpec("vllm", "vllm:m", "fault-model", (("url", server.url.removesuffix("/v1")),), LOC)
        provider = make_provider(spec)

        async def go():
            try:
                return await provider.generate([{"role": "user", "content": "x"}], 2, GenerationParams(seed=3))
            finally:
                await provider.aclose()

        completions = asyncio.run(go())
    assert [c.text for c in completions] == ["answer seed=3 choice=0", "answer seed=4 choice=0"]
    assert server.requests[0][1]["model"] == "fault-model"
