"""Prompt tokens sent per cell: k samples from one request (`n = k`) against k requests.

    python bench/prompt_tokens.py [--tasks 10]

For k = 3 and 10, every cell (a task of the corpus with its docprompt prompt) is asked
for k samples twice, side by side in one run, against a scripted OpenAI-compatible server
on loopback that honours `n` and counts the prompt tokens it receives (characters / 4, a
stand-in tokenizer: the ratio does not depend on it): once through a provider that sends
`n = k`, once through one with `supports_n = off` (k requests). It prints the tokens the
server received, the tokens the samples recorded (`tokens_in`, the prompt once per
request), requests, and the ratios.
"""
from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from chat_server import ChatServer  # the tests' scripted OpenAI-compatible server

from benchrun.codegen.tasks import find_task_folders, load_task
from benchrun.grammar.spec import StrategySpec
from benchrun.models import GenerationParams, OpenAIProvider
from benchrun.prompts import build_prompt

ROOT = Path(__file__).resolve().parents[1]
DOCPROMPT = StrategySpec("docprompt", (), None)


def prompt_tokens(body: dict) -> int:
    return math.ceil(sum(len(m["content"]) for m in body["messages"]) / 4)


class Scripted(ChatServer):
    """Answers every chat request with n short choices; counts prompt tokens received."""

    def __init__(self) -> None:
        super().__init__(lambda body, k: ["```python\npass\n```"] * (body.get("n") or 1),
                         usage=lambda body, k, texts: {"prompt_tokens": prompt_tokens(body),
                                                       "completion_tokens": 4 * len(texts)})

    def count(self) -> tuple[int, int]:
        with self._lock:
            return len(self.bodies), sum(prompt_tokens(body) for body in self.bodies)


async def measure(server: Scripted, prompts, k: int, batched: bool) -> dict[str, float]:
    provider = OpenAIProvider("m", base_url=server.url, supports_n=batched, concurrency=4)
    before_requests, before_tokens = server.count()
    start = time.perf_counter()
    recorded = 0
    try:
        for messages in prompts:
            completions = await provider.generate(messages, k, GenerationParams(max_tokens=64))
            recorded += sum(c.tokens_in or 0 for c in completions)
    finally:
        await provider.aclose()
    requests, tokens = server.count()
    return {"requests": requests - before_requests, "sent": tokens - before_tokens, "recorded": recorded,
            "seconds": time.perf_counter() - start}


def main(limit: int) -> None:
    folders = sorted(f for suite in ("inlining", "translation") for f in find_task_folders(ROOT / "tasks" / suite))
    tasks = [load_task(f) for f in folders[:limit or None]]
    prompts = [build_prompt(DOCPROMPT, t, 16384, 1024).messages for t in tasks]
    server = Scripted()
    print(f"{len(tasks)} cells (docprompt prompts of the corpus), scripted server on loopback honouring n\n")
    print(f"{'k':>3} {'mode':>11} {'requests':>9} {'tokens sent':>12} {'recorded':>9} {'per cell':>9} {'seconds':>8}")
    try:
        for k in (3, 10):
            got = {mode: asyncio.run(measure(server, prompts, k, mode == "n = k")) for mode in ("k requests", "n = k")}
            for mode, m in got.items():
                print(f"{k:>3} {mode:>11} {m['requests']:>9} {m['sent']:>12} {m['recorded']:>9} "
                      f"{m['sent'] / len(prompts):>9.0f} {m['seconds']:>8.2f}")
            ratio = got["n = k"]["sent"] / got["k requests"]["sent"]
            print(f"{k:>3} ratio n = k / k requests: prompt tokens sent {ratio:.3f} (1/k = {1 / k:.3f}), "
                  f"requests {got['n = k']['requests'] / got['k requests']['requests']:.3f}\n")
    finally:
        server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=0, help="use the first N tasks of the corpus (default: all)")
    main(parser.parse_args().tasks)
