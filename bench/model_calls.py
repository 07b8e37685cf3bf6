"""Model calls against the embedded local model: throughput and the completion cache.

    python bench/model_calls.py [--requests 4] [--max-tokens 16] [--threads N] [--rounds 3]

1. requests/second against llama.cpp's llama-server (SmolLM2-135M) at concurrency 1, 2
   and 4, each request a distinct prompt and seed, for servers of 1, 2 and 4 slots
   (`--parallel`: requests decoded at once by continuous batching; 1 slot decodes one
   request at a time, as llama_cpp.server did), measured side by side in one run: every
   round runs every level once, so other work on the machine hits them alike; the median
   round counts, and each ratio is the median of its rounds' ratios (the two levels of a
   ratio measured minutes apart would compare two loads, not two levels). Beside the
   wall time, the server's CPU seconds per request: on a machine shared with other work
   the wall time swings with their load, the CPU the server needs much less;
2. the ceiling on these 2 cores: the same requests one at a time on a 1-thread and on a
   2-thread server (how much a second core speeds up one request), beside two 1-thread
   servers taking one request each at once (both cores busy, no batching). When one
   request already keeps both cores busy, concurrency 2 can gain only what batching saves
   on top of that;
3. a "re-run" of the same requests answered from a DuckDB file cache keyed by
   benchrun.models.cache_key, against asking the model: the speed-up, and the number of
   model calls the re-run made (must be 0).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import attrs
import duckdb
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, installed or not
from benchrun.models import GenerationParams, LocalProvider, cache_key

SLOTS = (1, 2, 4)
CONCURRENCY = (1, 2, 4)


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def ratio(one: list[tuple[float, float]], other: list[tuple[float, float]], i: int) -> float:
    """How many times faster `other` was than `one`: the median of each round's pair
    (i: 0 wall seconds, 1 CPU seconds)."""
    return statistics.median(a[i] / b[i] for a, b in zip(one, other))


def prompts(count: int) -> list[list[dict[str, str]]]:
    return [
        [{"role": "user", "content": f"Write a Python function f{i}(x) that returns x * {i + 2}. Only code."}]
        for i in range(count)
    ]


async def timed_batch(provider: LocalProvider, batch, params) -> tuple[float, float]:
    """Wall seconds for the batch, and the CPU seconds the server spent on it: on a machine
    shared with other work the wall time swings with their load, the CPU time much less."""
    await provider.start()
    server = psutil.Process(provider._server.pid)
    cpu, start = sum(server.cpu_times()[:2]), time.perf_counter()
    await asyncio.gather(*(provider.generate(m, 1, params, first_sample=i) for i, m in enumerate(batch)))
    return time.perf_counter() - start, sum(server.cpu_times()[:2]) - cpu


async def main(requests: int, max_tokens: int, threads: int | None, rounds: int) -> None:
    params = GenerationParams(temperature=0.8, max_tokens=max_tokens, seed=0)
    batch = prompts(requests)
    server = {} if threads is None else {"threads": threads}
    # one provider per server holds it up between the runs below (they share it)
    held = {slots: LocalProvider(**server, slots=slots) for slots in SLOTS}
    for provider in held.values():
        await timed_batch(provider, batch, params)  # load the model, warm the caches
    warm = held[2]  # local()'s default
    print(f"local model {warm.alias} ({warm.threads} threads), {requests} requests of "
          f"max_tokens={max_tokens}, {rounds} rounds, load average before {_load()}\n")
    runs: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for _ in range(rounds):
        for slots in SLOTS:  # a server's levels one after another: its ratios compare like loads
            for concurrency in CONCURRENCY:
                provider = LocalProvider(**server, concurrency=concurrency, slots=slots)
                runs.setdefault((slots, concurrency), []).append(await timed_batch(provider, batch, params))
                await provider.aclose()
    print(f"{'slots':>5} {'concurrency':>11} {'seconds':>8} {'req/s':>7} {'server CPU s/req':>17}   (median round)")
    for (slots, concurrency), measured in sorted(runs.items()):
        seconds = statistics.median(s for s, _ in measured)
        cpu = statistics.median(c for _, c in measured) / requests
        print(f"{slots:>5} {concurrency:>11} {seconds:>8.2f} {requests / seconds:>7.2f} {cpu:>17.2f}")
    print()
    for slots in SLOTS:
        wall = ", ".join(f"c{c}/c1 {ratio(runs[slots, 1], runs[slots, c], 0):.2f}x" for c in CONCURRENCY[1:])
        cpu = ", ".join(f"c{c}/c1 {ratio(runs[slots, 1], runs[slots, c], 1):.2f}x" for c in CONCURRENCY[1:])
        print(f"{slots} slot(s): requests/s {wall}; requests per server CPU second {cpu}")
    print(f"load average after: {_load()}")
    for provider in held.values():
        if provider is not warm:
            await provider.aclose()
    await ceiling(batch, params, rounds)

    # A first run fills the cache; the re-run asks it first and the model only on a miss.
    db = duckdb.connect(str(Path(tempfile.mkdtemp()) / "cache.duckdb"))  # a file, like the results store
    db.execute("CREATE TABLE completions (key VARCHAR PRIMARY KEY, completion JSON)")
    calls = 0

    async def run(use_cache: bool) -> float:
        nonlocal calls
        start = time.perf_counter()
        for i, messages in enumerate(batch):
            key = cache_key(warm.describe(), params, messages, i)
            if use_cache:
                row = db.execute("SELECT completion FROM completions WHERE key = ?", [key]).fetchone()
                if row:
                    json.loads(row[0])
                    continue
            [completion] = await warm.generate(messages, 1, params, first_sample=i)
            calls += 1
            db.execute("INSERT OR REPLACE INTO completions VALUES (?, ?)", [key, json.dumps(attrs.asdict(completion))])
        return time.perf_counter() - start

    live = await run(use_cache=False)
    calls_before = calls
    cached = await run(use_cache=True)
    await warm.aclose()
    print(f"\nfirst run (model, sequential): {live:.3f}s for {requests} completions")
    print(f"re-run from the DuckDB cache:  {cached * 1000:.2f}ms, model calls: {calls - calls_before}")
    print(f"speed-up: {live / cached:.0f}x")
    assert calls - calls_before == 0, "the cached re-run called the model"


async def ceiling(batch, params, rounds: int) -> None:
    """Requests/s of one request at a time on 1 and 2 threads, and of two 1-thread servers
    side by side (one request each at a time), every round all three."""
    one, two = LocalProvider(threads=1, slots=1), LocalProvider(threads=2, slots=1)
    other = LocalProvider(threads=1, slots=1, context_tokens=one.context_tokens + 256)  # a server of its own
    for provider in (one, two, other):
        await timed_batch(provider, batch[:1], params)
    runs: dict[str, list[float]] = {"1 thread": [], "2 threads": [], "two 1-thread servers": []}
    for _ in range(rounds):
        runs["1 thread"].append(len(batch) / (await timed_batch(one, batch, params))[0])
        runs["2 threads"].append(len(batch) / (await timed_batch(two, batch, params))[0])
        start = time.perf_counter()
        half = len(batch) // 2
        await asyncio.gather(timed_batch(one, batch[:half], params), timed_batch(other, batch[half:], params))
        runs["two 1-thread servers"].append(len(batch) / (time.perf_counter() - start))
    print("\nthe ceiling (requests/s, median round; slots 1):")
    for name, values in runs.items():
        print(f"  {name:22s} {statistics.median(values):6.2f}")
    scaling = statistics.median(b / a for a, b in zip(runs["1 thread"], runs["2 threads"]))
    both = statistics.median(b / a for a, b in zip(runs["2 threads"], runs["two 1-thread servers"]))
    print(f"  a second thread speeds one request up {scaling:.2f}x; two requests on both cores without "
          f"batching give {both:.2f}x the requests/s of one request on both")
    for provider in (one, two, other):
        await provider.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=16)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every level; the median counts")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.max_tokens, args.threads, args.rounds))
