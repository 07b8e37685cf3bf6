"""The samples of one prompt, asked for together and within the block's budget.

The first unit of a (task, model, strategy) cell that needs the model asks for every
sample of the cell this run still needs, in one request with `n` where the provider
honours it (see OpenAIProvider). Each completion is cached under its own sample index,
as if it had been asked for alone, so resume and `--no-cache` work as before; the other
units of the cell wait for theirs.
"""
from __future__ import annotations

import threading
from collections import defaultdict
from concurrent.futures import Future
from typing import Any

from benchrun.codegen.spending import Spending
from benchrun.models import GenerationParams, Messages, ProviderRunner, cache_key
from benchrun.models.prices import Price
from benchrun.models.providers import PROVIDERS
from benchrun.prompts import estimate_tokens

# Tokens a chat message costs beyond its text (role, separators), counted generously.
MESSAGE_OVERHEAD = 8
COMPLETION_FIELDS = ("text", "tokens_in", "tokens_out", "latency_s", "finish_reason", "request_id", "n_fallback")


class Requests:
    """Completions by (cell, sample) for the units of one block; called from worker threads."""

    def __init__(self, units: list[Any], ctx: Any, models: ProviderRunner, spending: Spending):
        self.ctx, self.models, self.spending = ctx, models, spending
        cells: dict[tuple, list[int]] = defaultdict(list)
        for unit in units:
            cells[cell_of(unit.labels)].append(unit.params["sample"])
        self._cells = {cell: sorted(samples) for cell, samples in cells.items()}
        self._claimed: dict[tuple, Future] = {}  # (cell, sample) -> its completion, once asked for
        self._lock = threading.Lock()

    def completion(self, cell: tuple, sample: int, model: Any, messages: Messages, params: GenerationParams,
                   task: Any, price: Price | None) -> tuple[dict[str, Any], bool]:
        """Sample `sample` of this prompt and whether it came from the cache."""
        provider = self.models.provider(model)
        use_cache = self.ctx.use_cache and provider.cacheable and self.ctx.store is not None

        def key(i: int) -> str | None:
            return cache_key(provider.describe(), params, messages, i) if use_cache else None

        def cached(i: int) -> dict[str, Any] | None:
            return self.ctx.store.get_completion(key(i)) if use_cache else None

        with self._lock:  # asked for with the cell's first unit: wait for it, do not count it as cached
            future = self._claimed.get((cell, sample))
        if future is not None:
            return future.result(), False
        hit = cached(sample)
        if hit is not None:
            return hit, True
        # Where n is known not to work, each unit asks alone: waiting for the cell's other
        # samples would only delay judging this one.
        together = getattr(provider, "n_honoured", None) is not False
        cell_samples = self._cells.get(cell, [sample]) if together else [sample]
        wanted = [i for i in cell_samples if i == sample or cached(i) is None]
        with self._lock:
            future = self._claimed.get((cell, sample))
            group: dict[int, Future] = {} if future else {i: Future() for i in wanted if (cell, i) not in self._claimed}
            self._claimed.update(((cell, i), f) for i, f in group.items())
        if future is None:  # this unit leads: it asks for the whole group (its own sample among them)
            alone = None if together or len(self._cells.get(cell, ())) < 2 else getattr(provider, "n_fallback", None)
            self._fetch(cell, group, model, provider, messages, params, task, price, key, alone)
            future = group[sample]
        return future.result(), False

    def _fetch(self, cell, group: dict[int, Future], model, provider, messages, params, task, price, key,
               alone: str | None) -> None:
        """Ask for the group's samples; `alone`: why they are asked for one by one, if they are."""
        try:
            for run in _runs(sorted(group)):
                for i, row in zip(run, self._ask(model, provider, messages, params, task, price, run)):
                    row["n_fallback"] = row["n_fallback"] or alone
                    if key(i):  # only answers are cached, never errors
                        self.ctx.store.put_completion({"key": key(i), "provider": model.kind, "model": model.name, **row})
                    group[i].set_result(row)
        except BaseException as error:
            with self._lock:  # unanswered samples may be asked for again (a retry, a later unit)
                for i, future in group.items():
                    if not future.done():
                        self._claimed.pop((cell, i), None)
                        future.set_exception(error)
            raise

    def _ask(self, model, provider, messages, params, task, price, run: list[int]) -> list[dict[str, Any]]:
        """One call for samples `run` (consecutive), paid for within the budget."""
        n = len(run)
        free = PROVIDERS.get(model.kind).prompt_free  # the oracle and identity ask no model
        reserved = 0.0
        if not free:
            prompts = 1 if getattr(provider, "n_honoured", None) else n  # unknown: the prompt may go n times
            reserved = self.spending.reserve(price, prompts * prompt_tokens(messages), n * params.max_tokens)
        spent = reserved  # unless the server says otherwise, the worst case was paid
        try:
            completions = self.models.generate(model, messages, n, params, task=task, first_sample=run[0])
            tokens_in = [c.tokens_in for c in completions if c.tokens_in is not None]
            tokens_out = [c.tokens_out for c in completions if c.tokens_out is not None]
            if len(tokens_in) == len(tokens_out) == len(completions):  # every completion says both
                spent = self.spending.amount(price, sum(tokens_in), sum(tokens_out))
        except BaseException:
            spent = 0.0  # a request that failed is not billed
            raise
        finally:
            if not free:
                self.spending.settle(reserved, spent)
        return [{f: getattr(c, f) for f in COMPLETION_FIELDS} for c in completions]


def cell_of(labels: dict[str, Any]) -> tuple:
    return labels["task"], labels["model"], labels["strategy"], labels.get("level")


def prompt_tokens(messages: Messages) -> int:
    return sum(estimate_tokens(m.get("content", "")) + MESSAGE_OVERHEAD for m in messages)


def _runs(samples: list[int]) -> list[list[int]]:
    """[0, 1, 2, 5, 6] -> [[0, 1, 2], [5, 6]]: each run is one call (seeds follow sample indices)."""
    runs: list[list[int]] = []
    for i in samples:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
