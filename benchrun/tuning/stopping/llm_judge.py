"""The driver's side of `llm(model, every = N)` (see `llm_stop.py`): one judge per block
run, asked by every trial. It builds the prompt, asks the model, reads the answer, writes
one `stop_decisions` row per request (prompt, answer, decision, why an answer was
refused, tokens, latency) and returns the decision. Nothing here raises to the trial:
any failure is a counted fallback.

Answers: a JSON object `{"decision": "continue" | "stop", "reason": "..."}`, read
leniently (code fences, prose around it). `malformed`: no such object, or no decision
string; `unsafe`: a decision other than continue or stop (stop every trial, change the
resources, run something): the rule can only continue or stop this trial, and does
neither on the model's word; `model_error`: no answer.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from typing import TYPE_CHECKING, Any

from benchrun.jsonkey import canonical_json
from benchrun.tuning.stopping.llm_stop import CONTINUE, STOP

if TYPE_CHECKING:
    from benchrun.models.runner import ProviderRunner

log = logging.getLogger(__name__)
MALFORMED, UNSAFE, MODEL_ERROR, JUDGE_ERROR = "malformed", "unsafe", "model_error", "judge_error"
REASON_CHARS = 500  # a reason is one sentence; more is cut

SYSTEM = ("You manage the compute budget of machine learning training trials that run under system constraints. "
          "You decide whether a running trial should continue or be stopped early, and answer with JSON only.")


def llm_models(rule: Any) -> list[Any]:
    """The ModelSpecs of the `llm(...)` stop rules in a block's (unconverted) stop rule."""
    if rule is None:
        return []
    if hasattr(rule, "rules"):
        return [spec for part in rule.rules for spec in llm_models(part)]
    if getattr(rule, "name", None) == "llm":
        return [value for key, value in rule.args if key == "model"]
    return []


def model_key(model: Any) -> str:
    """A model as the rule's JSON holds it (`search.base.model_params`), as a lookup key."""
    from benchrun.tuning.search.base import model_params

    return canonical_json(model if isinstance(model, dict) else model_params(model))


def messages(request: dict[str, Any], constraints: tuple[str, ...]) -> list[dict[str, str]]:
    params, objective = request["params"], request["objective"]
    better = "higher" if request["mode"] == "max" else "lower"
    total, step = request.get("total_steps"), request["step"]
    done = f" ({100 * step / total:.0f} %)" if total else ""
    lines = [
        f"Trial: scikit-learn's SGD {params['algorithm']} on the data set {params['dataset']['name']}, "
        f"configuration {canonical_json(params['config'])}.",
        f"Objective: {'maximise' if request['mode'] == 'max' else 'minimise'} {objective} ({better} is better).",
        f"Budget: {total} training steps; it has run {step}{done}.",
    ]
    if constraints:
        lines.append(f"Constraints: a trial is stopped, and its configuration is infeasible, when "
                     f"{' or '.join(constraints)} (memory_mb in MiB, step_time_ms per training step).")
    best = request.get("best_finished")
    lines.append(f"Best {objective} of a finished trial of this problem so far: "
                 + (f"{best:.4g}." if best is not None else "none has finished yet."))
    lines.append("Its metrics at each evaluation so far (most recent last):")
    lines += [" ".join(f"{k}={_number(v)}" for k, v in row.items()) for row in request["stream"]]
    lines.append("Should this trial continue to the end of its budget, or stop now? Stopping saves the rest of its "
                 "compute, but a stopped configuration cannot become the best one. Answer with only a JSON object: "
                 '{"decision": "continue" or "stop", "reason": "one short sentence"}.')
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n".join(lines)}]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:.4g}"


def read_decision(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(decision as written, reason, why refused or None) of an answer."""
    if text is None:
        return None, None, MODEL_ERROR
    found = None
    for candidate in [text.strip().strip("`").removeprefix("json").strip(), *re.findall(r"\{[^{}]*\}", text)]:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            found = value
            break
    if found is None or not isinstance(found.get("decision"), str):
        return None, None, MALFORMED
    written = found["decision"]
    reason = found.get("reason")
    reason = reason[:REASON_CHARS] if isinstance(reason, str) else None
    if written.strip().lower() not in (CONTINUE, STOP):
        return written, reason, UNSAFE
    return written, reason, None


class LlmJudge:
    """`decide(request)` -> {"decision", "valid", "refused", "reason"}. `block` is the live
    TuneSpec (its `llm(...)` rules' ModelSpecs), `ctx` the run's context (store, run id)."""

    def __init__(self, block: Any, ctx: Any) -> None:
        from benchrun.tuning.plan import rule_to_json
        from benchrun.tuning.search.llm_prompt import constraints

        self.block, self.ctx = block, ctx
        self.models = {model_key(spec): spec for spec in llm_models(block.stop)}
        self.constraints = constraints(rule_to_json(block.stop))
        self._runner: ProviderRunner | None = None
        self._lock = threading.Lock()

    def runner(self) -> ProviderRunner:
        with self._lock:
            if self._runner is None:
                from benchrun.models.runner import ProviderRunner

                self._runner = ProviderRunner()
            return self._runner

    def close(self) -> None:
        with self._lock:
            runner, self._runner = self._runner, None
        if runner is not None:
            runner.close()

    def decide(self, request: dict[str, Any]) -> dict[str, Any]:
        rule = request.get("rule", {})
        fallback = rule.get("fallback", CONTINUE)
        try:
            return self._decide(request, fallback)
        except Exception as error:  # noqa: BLE001 - the trial goes on with the fallback, and it is counted
            log.warning("llm stop rule: judging unit %s failed (%s: %s)", request.get("unit_id"), type(error).__name__, error)
            self._store(request, None, None, {"decision": fallback, "refused": f"{JUDGE_ERROR}: {error}"}, {}, None)
            return {"decision": fallback, "valid": False, "refused": JUDGE_ERROR, "reason": None}

    def _decide(self, request: dict[str, Any], fallback: str) -> dict[str, Any]:
        from benchrun.models.base import GenerationParams, ModelError

        rule = request["rule"]
        spec = self.models[model_key(rule["model"])]
        prompt = messages(request, self.constraints)
        params = GenerationParams(temperature=float(rule.get("temperature", 0.0)), max_tokens=int(rule.get("max_tokens", 128)),
                                  seed=int(request["params"].get("seed") or 0) + int(request["evaluation"]))
        started = time.perf_counter()
        usage: dict[str, Any] = {}
        try:
            completion = self.runner().generate(spec, prompt, 1, params)[0]
            text = completion.text
            usage = {"tokens_in": completion.tokens_in, "tokens_out": completion.tokens_out,
                     "latency_s": completion.latency_s}
            error = None
        except ModelError as failure:
            text, error = None, str(failure)
            usage = {"latency_s": time.perf_counter() - started}
        written, reason, refused = read_decision(text)
        decision = written.strip().lower() if refused is None and written is not None else fallback
        outcome = {"decision": decision, "valid": refused is None, "refused": refused, "reason": reason}
        self._store(request, prompt, text, {**outcome, "refused": f"{MODEL_ERROR}: {error}" if error else refused},
                    usage, written)
        return outcome

    def _store(self, request: dict[str, Any], prompt: list | None, text: str | None, outcome: dict[str, Any],
               usage: dict[str, Any], written: str | None) -> None:
        store = getattr(self.ctx, "store", None)
        if store is None:
            return
        from benchrun.tuning.rules import rule_text

        rule = request.get("rule", {})
        try:
            spec = self.models.get(model_key(rule["model"])) if "model" in rule else None
            row = {
                "run_id": getattr(self.ctx, "run_id", ""), "unit_id": request.get("unit_id"), "block": self.block.name,
                "rule": rule_text({"rule": "llm", **rule}) if "model" in rule else None,
                "model": getattr(spec, "name", None), "evaluation": request.get("evaluation"), "step": request.get("step"),
                "total_steps": request.get("total_steps"), "prompt": None if prompt is None else json.dumps(prompt),
                "completion": text, "proposed": written, "decision": outcome["decision"],
                "valid": outcome.get("refused") is None, "refused": outcome.get("refused"), "reason": outcome.get("reason"),
                **usage,
            }
            store.insert("stop_decisions", [row])
        except Exception as error:  # noqa: BLE001 - a lost row is logged, the trial goes on
            log.warning("llm stop rule: could not record a decision (%s)", error)
