"""The OpenAI-compatible provider against a real misbehaving HTTP server on loopback."""
from __future__ import annotations

import asyncio
import socket
import time

import pytest
from fault_server import FaultServer

from benchrun.models import GenerationParams, ModelError, OpenAIProvider, RetryPolicy

MESSAGES = [{"role": "user", "content": "hello"}]
FAST = RetryPolicy(max_attempts=6, base_delay_s=0.05, max_delay_s=0.4, deadline_s=20)


def provider(url, **kw):
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout_s", 0.5)
    return OpenAIProvider("fault-model", base_url=url, **kw)


def generate(p, n=1, params=GenerationParams(seed=7), **kw):
    async def go():
        try:
            return await p.generate(MESSAGES, n, params, **kw)
        finally:
            await p.aclose()

    return asyncio.run(go())


def test_retries_through_429_500_slow_malformed_then_answers():
    script = ["429", "500", "slow", "malformed", "nochoices"]
    with FaultServer(script, slow_s=2.0) as server:
        p = provider(server.url)
        [completion] = generate(p)
    assert completion.text == "answer seed=7 choice=0"
    assert (completion.tokens_in, completion.tokens_out, completion.finish_reason) == (11, 5, "stop")
    assert len(server.requests) == 6 and p.stats.attempts == 6
    # backoff grows: each wait is at least half of its exponential step (equal jitter)
    steps = [min(FAST.max_delay_s, FAST.base_delay_s * 2**i) for i in range(5)]
    assert all(step / 2 <= delay <= step for delay, step in zip(p.stats.delays, steps))
    times = [t for t, _ in server.requests]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[2] >= 0.5  # the slow answer was given up on only after the 0.5 s timeout
    assert all(gap >= delay for gap, delay in zip(gaps, p.stats.delays))


def test_server_that_keeps_failing_gives_a_clear_reason_after_max_attempts():
    with FaultServer(default="500") as server:
        p = provider(server.url, retry=RetryPolicy(max_attempts=3, base_delay_s=0.01, deadline_s=10))
        with pytest.raises(ModelError) as error:
            generate(p)
    assert len(server.requests) == 3
    assert error.value.reason == "server"
    assert "3 attempt(s)" in str(error.value) and "answered 500: boom" in str(error.value)


def test_always_malformed_is_a_bad_response():
    with FaultServer(default="malformed") as server:
        p = provider(server.url, retry=RetryPolicy(max_attempts=2, base_delay_s=0.01))
        with pytest.raises(ModelError) as error:
            generate(p)
    assert error.value.reason == "bad_response" and len(server.requests) == 2


def test_auth_failure_is_not_retried():
    with FaultServer(default="401") as server:
        p = provider(server.url)
        with pytest.raises(ModelError) as error:
            generate(p)
    assert error.value.reason == "auth" and len(server.requests) == 1
    assert "OPENAI_API_KEY" in str(error.value)


def test_retry_after_header_is_honoured():
    with FaultServer(["429"], retry_after=0.3) as server:
        p = provider(server.url)
        generate(p)
    assert p.stats.delays[0] >= 0.3
    assert server.requests[1][0] - server.requests[0][0] >= 0.3


def test_slow_server_fails_within_the_deadline():
    with FaultServer(default="slow", slow_s=5.0) as server:
        p = provider(server.url, timeout_s=0.3, retry=RetryPolicy(max_attempts=100, base_delay_s=0.05, deadline_s=1.0))
        start = time.monotonic()
        with pytest.raises(ModelError) as error:
            generate(p)
        elapsed = time.monotonic() - start
    assert error.value.reason == "down" and "did not answer" in str(error.value)
    assert elapsed < 3.0  # bounded by the 1 s deadline, not by 100 attempts


def test_down_model_fails_fast_with_reason():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    p = provider(f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(max_attempts=3, base_delay_s=0.05, deadline_s=10))
    start = time.monotonic()
    with pytest.raises(ModelError) as error:
        generate(p)
    assert time.monotonic() - start < 3.0
    assert error.value.reason == "down" and "cannot connect" in str(error.value)
    assert p.stats.attempts == 3
    ok, detail = asyncio.run(p.health())
    assert not ok and detail.startswith("down")


def test_server_ignoring_n_gets_one_request_per_sample_with_distinct_seeds():
    with FaultServer() as server:
        completions = generate(provider(server.url), n=3, first_sample=2)
    seeds = sorted(body["seed"] for _, body in server.requests)
    assert seeds == [9, 10, 11]  # base seed 7 + sample indices 2, 3, 4
    assert len({c.text for c in completions}) == 3


def test_server_honouring_n_gets_one_request():
    with FaultServer(honour_n=True) as server:
        completions = generate(provider(server.url), n=3)
    assert len(server.requests) == 1 and server.requests[0][1]["n"] == 3
    assert [c.text for c in completions] == [f"answer seed=7 choice={i}" for i in range(3)]
    assert all(c.tokens_out == 5 for c in completions)  # usage split evenly over choices
    # The prompt was sent once: its tokens are on the first sample only.
    assert [c.tokens_in for c in completions] == [11, 0, 0]
    assert len({c.request_id for c in completions}) == 1 and all(c.n_fallback is None for c in completions)


def test_the_verdict_on_n_is_found_once_per_provider():
    """A server ignoring n is found out by one request; later calls go one per sample
    at once, and every sample says why."""
    with FaultServer() as server:
        p = provider(server.url)

        async def go():
            try:
                return [await p.generate(MESSAGES, 3, GenerationParams(seed=0)) for _ in range(2)]
            finally:
                await p.aclose()

        first, second = asyncio.run(go())
    assert [body.get("n") for _, body in server.requests] == [3, None, None, None, None, None]
    assert p.n_honoured is False
    assert all("returned 1 of 3 completions" in c.n_fallback for c in first + second)
    assert [c.tokens_in for c in first] == [11, 11, 11]  # three prompts sent


def test_a_server_refusing_n_is_asked_once_per_sample():
    with FaultServer(refuse_n=True) as server:
        p = provider(server.url)
        completions = generate(p, n=3)
    assert [body.get("n") for _, body in server.requests] == [3, None, None, None]
    assert len({c.text for c in completions}) == 3
    assert all("refused n=3" in c.n_fallback and "Only n = 1" in c.n_fallback for c in completions)


def test_concurrency_is_bounded_per_provider():
    with FaultServer(delay_s=0.2) as server:
        generate(provider(server.url, concurrency=2, supports_n=False), n=6)
    assert len(server.requests) == 6 and server.max_in_flight == 2


def test_stop_and_params_reach_the_server():
    params = GenerationParams(temperature=0.2, max_tokens=33, seed=None, stop=["###"])
    with FaultServer() as server:
        generate(provider(server.url), params=params)
    body = server.requests[0][1]
    assert (body["temperature"], body["max_tokens"], body["stop"]) == (0.2, 33, ["###"])
    assert "seed" not in body


def test_health_lists_models():
    with FaultServer() as server:
        ok, detail = asyncio.run(provider(server.url).health())
        ok_other, detail_other = asyncio.run(OpenAIProvider("other", base_url=server.url).health())
    assert ok and "answers" in detail
    assert ok_other and "not other" in detail_other


def test_openai_without_key_says_which_variable(monkeypatch):
    monkeypatch.delenv("MY_KEY", raising=False)
    p = OpenAIProvider("gpt-4o-mini", api_key_env="MY_KEY")
    with pytest.raises(ModelError) as error:
        generate(p)
    assert error.value.reason == "auth" and "$MY_KEY" in str(error.value)


def test_runner_cancel_stops_requests_in_flight_at_once():
    import threading

    from benchrun.grammar.spec import Loc, ModelSpec
    from benchrun.models import ProviderRunner

    with FaultServer(default="slow", slow_s=5.0) as server:
        spec = ModelSpec("openai", "openai:slow", "fault-model", (("base_url", server.url), ("timeout", 10.0)), Loc("t", 1, 1))
        errors = []
        with ProviderRunner() as runner:

            def call():
                try:
                    runner.generate(spec, MESSAGES, 1, GenerationParams())
                except ModelError as error:
                    errors.append((error, time.monotonic()))

            thread = threading.Thread(target=call)
            thread.start()
            while not server.requests:
                time.sleep(0.01)
            cancelled_at = time.monotonic()
            runner.cancel()
            thread.join(timeout=3)
    assert not thread.is_alive()
    [(error, when)] = errors
    assert error.reason == "cancelled" and when - cancelled_at < 1.0
