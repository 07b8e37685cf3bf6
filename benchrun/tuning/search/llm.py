"""`llm(model = local(), samples = N, batch = B, history = K) { ... }`: a language model is
the searcher. Each round it gets the problem, the space, the objective, the constraints
the block's stop rules express and the finished trials (the best K feasible and up to K
stopped ones), and answers with B configurations as JSON (benchrun.tuning.search.llm_prompt).

Rounds are synchronous, as in LLAMBO and OPRO: round r (trials rB .. rB + B - 1) is asked
only when every trial of the earlier rounds has ended (`ready`), so its prompt depends on
their results and not on timing. Every proposal is a row of `proposals`, written before
its trial starts: the prompt's hash, the answer, what was proposed, what the trial trains,
whether it was valid and why not, tokens and latency. An invalid proposal is replaced by
a configuration drawn from the space with a seed of (block seed, trial index), and stays
counted as invalid. A resumed search reads its rounds back from `proposals` instead of
asking again (under --no-cache it asks again), so it makes no model call twice and
continues the same history.

A model that cannot answer (down, out of retries) leaves its round drawn at random, each
row saying `model_error: ...`; the run goes on and logs it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import random
import time
from typing import Any

from benchrun.jsonkey import canonical_json
from benchrun.registry import Flag, Int, Model, Number, Option
from benchrun.tuning.search.base import SAMPLES, SearchMethod, Session, draw_param
from benchrun.tuning.search.llm_prompt import MALFORMED, MISSING, Finished, Problem, check_item, constraints, messages, read_answer

log = logging.getLogger(__name__)
MODEL_ERROR = "model_error"
REPLACEMENT_TRIES = 50  # draws to find a replacement not tried yet (a tiny space may have none)


class LlmStudy:
    """One search over one (data set, algorithm): see the module's docstring."""

    def __init__(self, params: dict[str, Any], seed: int, mode: str, session: Session) -> None:
        self.space, self.seed, self.mode, self.session = params["space"], seed, mode, session
        self.batch, self.keep, self.predict = int(params["batch"]), int(params["history"]), bool(params["predict_cost"])
        self.temperature, self.max_tokens = float(params["temperature"]), int(params["max_tokens"])
        self.finished: list[Finished] = []
        self.tried: set[str] = set()  # every configuration replayed, asked or proposed, as canonical JSON
        self.told: set[int] = set()
        self.rounds: dict[int, list[dict[str, Any]]] = {}

    # -- the Study protocol

    def replay(self, config: dict[str, Any], result: dict[str, Any] | None) -> None:
        self._record(config, result)

    def ready(self, index: int) -> bool:
        round_ = index // self.batch
        earlier = [i for i in self.session.units if i < round_ * self.batch]
        return round_ in self.rounds or all(i in self.told for i in earlier)

    def ask(self, index: int) -> dict[str, Any]:
        round_, slot = divmod(index, self.batch)
        if round_ not in self.rounds:
            self.rounds[round_] = self._propose(round_)
        return dict(self.rounds[round_][slot])

    def tell(self, index: int, result: dict[str, Any] | None) -> None:
        self.told.add(index)
        round_, slot = divmod(index, self.batch)
        self._record(self.rounds[round_][slot], result)

    def _record(self, config: dict[str, Any], result: dict[str, Any] | None) -> None:
        config = {name: config[name] for name in self.space if name in config}
        self.tried.add(canonical_json(config))
        if result is not None:  # a failed trial is run again on resume: its outcome is not history yet
            self.finished.append(Finished(config, result))

    # -- proposing a round

    def _propose(self, round_: int) -> list[dict[str, Any]]:
        stored = self._stored(round_)
        if len(stored) == self.batch:
            configs = [stored[slot][0] for slot in range(self.batch)]
            self.tried.update(canonical_json(c) for c in configs)
            return configs
        prompt = messages(self.problem, self.space, self.finished, self.batch, self.keep, self.predict)
        prompt_hash = hashlib.sha256(canonical_json(prompt).encode()).hexdigest()
        answer: dict[str, Any] | None  # None: the model was not reached
        request: dict[str, Any]
        if stored:  # proposed before, for fewer trials (`samples` grew): its answer gives the other slots
            answer, request = {"text": next(iter(stored.values()))[1]}, {}
        else:
            answer, request = self._ask_model(prompt, round_)
        items = read_answer(answer["text"]) if answer and answer["text"] is not None else None
        rows: list[dict[str, Any]] = []
        configs = []
        for slot in range(self.batch):
            index = round_ * self.batch + slot
            if slot in stored:
                configs.append(stored[slot][0])
                continue
            proposed, config, predictions = None, None, {}
            reason: str | None  # why the slot's proposal is not used, None when it is
            if answer is None:
                reason = f"{MODEL_ERROR}: {request['error']}"
            elif items is None or slot >= len(items):
                reason = MISSING if items else MALFORMED
            else:
                checked = check_item(items[slot], self.space, self.tried)
                proposed, config, reason, predictions = checked.proposed, checked.config, checked.reason, checked.predictions
            if config is None:
                config = self._replacement(index)
            self.tried.add(canonical_json(config))
            configs.append(config)
            if index in self.session.units:  # a slot past the search's last trial trains nothing
                rows.append(self._row(round_, slot, index, prompt_hash, answer, proposed, config, reason,
                                      predictions, request if not rows else {}))
        self._store(rows)
        return configs

    @functools.cached_property
    def problem(self) -> Problem:
        from benchrun.tuning.datasets import load_dataset

        data, session = load_dataset(self.session.dataset, self.session.cache_dir), self.session
        return Problem(session.algorithm, data.name, int(data.X.shape[0]), int(data.X.shape[1]), data.task,
                       session.metric, self.mode, constraints(session.stop))

    def _ask_model(self, prompt: list[dict[str, str]], round_: int) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        from benchrun.models.base import GenerationParams, ModelError

        spec = dict(self.session.block.search.options)["model"]
        params = GenerationParams(temperature=self.temperature, max_tokens=self.max_tokens, seed=self.seed + round_)
        runner = self.session.shared("models", _runner)  # one per run: one local model server for every study
        started = time.perf_counter()
        try:
            completion = runner.generate(spec, prompt, 1, params)[0]
        except ModelError as error:
            log.warning("llm search %s: round %d could not be asked (%s); its trials are drawn at random",
                        self.session.key, round_, error)
            return None, {"error": str(error), "latency_s": time.perf_counter() - started}
        return {"text": completion.text}, {"tokens_in": completion.tokens_in, "tokens_out": completion.tokens_out,
                                           "latency_s": completion.latency_s}

    def _replacement(self, index: int) -> dict[str, Any]:
        rng = random.Random(f"{self.seed}:{index}")
        config = {}
        for _ in range(REPLACEMENT_TRIES):
            config = {name: draw_param(domain, rng) for name, domain in self.space.items()}
            if canonical_json(config) not in self.tried:
                break
        return config

    def _row(self, round_: int, slot: int, index: int, prompt_hash: str, answer: dict | None, proposed: Any,
             config: dict[str, Any], reason: str | None, predictions: dict[str, float],
             request: dict[str, Any]) -> dict[str, Any]:
        return {
            "run_id": self.session.run_id, "unit_id": self.session.units[index],
            "block": getattr(self.session.block, "name", None), "study": self.session.key,
            "round": round_, "slot": slot, "prompt_hash": prompt_hash,
            "completion": answer["text"] if answer else None,
            "proposed": None if proposed is None else json.dumps(proposed, default=str),
            "config": canonical_json(config), "valid": reason is None, "reason": reason,
            **predictions,
            "tokens_in": request.get("tokens_in"), "tokens_out": request.get("tokens_out"),
            "latency_s": request.get("latency_s"),
        }

    # -- the proposals table

    def _stored(self, round_: int) -> dict[int, tuple[dict[str, Any], str | None]]:
        store = self.session.store
        if store is None or not self.session.use_cache:
            return {}
        rows = store.query("SELECT slot, config, completion FROM proposals WHERE study = ? AND round = ? ORDER BY created",
                           [self.session.key, round_])
        return {slot: (json.loads(config), completion) for slot, config, completion in rows}  # the latest per slot

    def _store(self, rows: list[dict[str, Any]]) -> None:
        if rows and self.session.store is not None:
            self.session.store.insert("proposals", rows)


def _runner():
    from benchrun.models.runner import ProviderRunner

    return ProviderRunner()


def _study(params: dict[str, Any], seed: int, mode: str, session: Session) -> LlmStudy:
    return LlmStudy(params, seed, mode, session)


def _check(search: Any) -> str | None:
    from benchrun.models.providers import PROVIDERS

    options = dict(search.options)
    batch, model = options.get("batch", 4), options.get("model")  # None: its mistake is reported already
    if model is not None and PROVIDERS.get(model.kind).prompt_free:
        return f"llm(model = {model.name}): {model.name} does not read prompts, so it cannot propose configurations"
    if batch > search.samples:
        return f"llm(batch = {batch}) asks for more configurations per round than samples = {search.samples}"
    return None


LLM = SearchMethod(
    name="llm", doc="a language model proposes `batch` configurations per round from the finished trials",
    options=(
        Option("model", Model(), "the model that proposes: local(), openai(...), vllm(...) or a defined model",
               required=True, positional=True),
        SAMPLES,
        Option("batch", Int(1, 100), "configurations per model request (a round)", 4),
        Option("history", Int(0, 10_000), "finished trials the prompt shows: the best K feasible and K stopped", 20),
        Option("predict_cost", Flag(), "ask the model to predict each configuration's step time and memory", False),
        Option("temperature", Number(0, 2), "the model's sampling temperature", 0.0),
        Option("max_tokens", Int(16, 100_000), "the longest answer", 768),
    ),
    study=_study, check=_check)
