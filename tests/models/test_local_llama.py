"""local(): the embedded llama.cpp server (llama-server) with SmolLM2, through the whole
provider path: real processes on loopback, the real model."""
from __future__ import annotations

import asyncio
import json
import os
import re
import urllib.request

import attrs
import pytest

from benchrun.grammar.spec import Loc, ModelSpec, StrategySpec
from benchrun.models import GenerationParams, LocalProvider, ModelError, ProviderRunner, cache_key, local
from benchrun.models.server import answers, log_dir
from benchrun.prompts import build_prompt

LOC = Loc("test.bench", 1, 1)
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


def test_real_completion_through_runner_and_shared_server(local_model):
    spec = ModelSpec("local", "local", None, (("max_attempts", 2),), LOC)
    params = GenerationParams(temperature=1.0, max_tokens=16, seed=1)
    log = log_dir() / f"llama-{local.DEFAULT_ALIAS}-{os.getpid()}.log"  # appended to by every server of this process
    logged_before = log.stat().st_size if log.exists() else 0
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
    # The two samples one after another, each its own request; the second reused the
    # prompt the first left evaluated in its slot (the server's log: its prompt eval
    # covered at most a token or two, against the whole prompt for the first).
    assert first.request_id != second.request_id and first.n_fallback is None
    assert server.log_path == log
    logged = log.read_bytes()[logged_before:].decode(errors="replace")
    evaluated = [int(m) for m in re.findall(r"prompt eval time = +[\d.]+ ms / +(\d+) tokens", logged)]
    assert evaluated[0] == first.tokens_in > 10 and evaluated[1] <= 2, evaluated
    for completion in (first, second):  # each counts its own tokens
        assert completion.text.strip() and completion.tokens_in == first.tokens_in
        assert completion.tokens_out == 16 if completion.finish_reason == "length" else 0 < completion.tokens_out < 16
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


def test_without_llama_server_the_error_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no llama-server on it
    monkeypatch.delenv(local.BINARY_ENV, raising=False)
    ok, detail = asyncio.run(LocalProvider().health())
    assert not ok and "llama-server is not installed" in detail and "scripts/install" in detail
    monkeypatch.setenv(local.BINARY_ENV, str(tmp_path / "llama-server"))  # named, but not there
    ok, detail = asyncio.run(LocalProvider().health())
    assert not ok and local.BINARY_ENV in detail


def test_a_server_that_cannot_start_is_a_clear_error_with_its_log(monkeypatch, tmp_path):
    # any executable that exits at once stands in for a broken build
    broken = tmp_path / "llama-server"
    broken.write_text("#!/bin/sh\necho 'error: unknown CPU feature' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv(local.BINARY_ENV, str(broken))
    monkeypatch.setenv("BENCHRUN_LOG_DIR", str(tmp_path / "logs"))
    ok, detail = asyncio.run(LocalProvider().health())
    assert not ok and "exited with code 3" in detail and "unknown CPU feature" in detail


def test_two_slots_decode_two_requests_at_once_with_the_sequential_answers(local_model):
    """Continuous batching must not change an answer: at temperature 0 each request gets
    the same text alone (concurrency 1) as beside another (concurrency 2), and the same as
    from a server of one slot."""
    params = GenerationParams(temperature=0.0, max_tokens=32, seed=0)
    asks = [[{"role": "user", "content": f"Write a Python function f{i}(x) that returns x * {i + 2}."}]
            for i in range(2)]

    async def busy_slots(url: str, done: asyncio.Event) -> int:
        most = 0
        while not done.is_set():  # the server's own account of the slots decoding now
            slots = await asyncio.to_thread(lambda: json.load(urllib.request.urlopen(url, timeout=5)))
            most = max(most, sum(bool(slot["is_processing"]) for slot in slots))
            await asyncio.sleep(0.02)
        return most

    async def run() -> tuple[list, list, list, int, dict, str]:
        one, two = LocalProvider(concurrency=1, slots=1), LocalProvider(concurrency=2, slots=2)
        try:
            alone = [(await one.generate(m, 1, params))[0].text for m in asks]
            sequential = [(await two.generate(m, 1, params))[0].text for m in asks]
            root = two._server.base_url.removesuffix("/v1")
            done = asyncio.Event()
            watcher = asyncio.create_task(busy_slots(root + "/slots", done))
            together = await asyncio.gather(*(two.generate(m, 1, params) for m in asks))
            done.set()
            props = json.load(urllib.request.urlopen(root + "/props", timeout=5))
            url = two._server.base_url
        finally:
            await one.aclose()
            await two.aclose()
        return alone, sequential, [c.text for [c] in together], await watcher, props, url

    alone, sequential, together, most_busy, props, url = asyncio.run(run())
    assert props["total_slots"] == 2 and most_busy == 2  # both slots decoded at once
    assert all(text.strip() for text in together)
    assert together == sequential == alone
    assert not answers(url + "/models")  # stopped with the last user
