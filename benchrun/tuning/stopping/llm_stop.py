"""`llm(model, every = N)`: every N evaluations a language model sees the trial's metric
stream and the block's constraints and answers continue or stop, with a reason.

This module is the trial's side: it keeps the stream and, every N evaluations, sends a
request (plain JSON) to the judge on the driver (`llm_judge.LlmJudge`), which asks the
model, records the request and the answer in `stop_decisions`, and answers with the
decision. An answer that cannot be read (`malformed`), asks for anything but continue or
stop (`unsafe`), or never comes (the model or the channel is down) is counted by the
judge and replaced by the rule's `fallback` (continue unless told): a run never fails
because of its model. The trial's best value of the objective is posted to the shared
board when it finishes, so the model is shown the best finished trial of the problem.
"""
from __future__ import annotations

import logging
import math
from typing import Any

from benchrun.registry import Int, Model, Number, Option, Word
from benchrun.tuning.rules import StopRule, TrialContext
from benchrun.tuning.stopping.board import best_finished, post_finished

log = logging.getLogger(__name__)
CONTINUE, STOP = "continue", "stop"
# What the prompt shows of each evaluation, when the trial reports it.
STREAM = ("step", "epoch", "val_loss", "accuracy", "rmse", "train_loss", "step_time_ms", "memory_mb", "cpu_pct",
          "cpu_time_s")


class _LlmStop:
    def __init__(self, args: dict[str, Any], objective: str, mode: str, context: TrialContext) -> None:
        self.args, self.every, self.fallback = args, int(args["every"]), args["fallback"]
        self.objective, self.mode, self.context = objective, mode, context
        self.stream: list[dict[str, float]] = []
        self.best: float | None = None  # the trial's best score of the objective (higher is better)

    def fires(self, result: dict[str, Any]) -> bool:
        self.stream.append({k: float(result[k]) for k in STREAM if isinstance(result.get(k), int | float)})
        value = result.get(self.objective)
        if value is not None and math.isfinite(float(value)):
            score = float(value) if self.mode == "max" else -float(value)
            self.best = score if self.best is None else max(self.best, score)
        if result.get("finished"):
            post_finished(self.context, self.objective, self.best)
            return False
        if len(self.stream) % self.every:
            return False
        return self._ask(result) == STOP

    def _ask(self, result: dict[str, Any]) -> str:
        if self.context.judge is None:  # an executor that offers no judge: the default, as for any failure
            return self.fallback
        reference = best_finished(self.context, self.objective)
        request = {
            "rule": {k: v for k, v in self.args.items()}, "unit_id": self.context.unit_id,
            "params": {k: self.context.params.get(k) for k in ("dataset", "algorithm", "config", "stop", "seed")},
            "objective": self.objective, "mode": self.mode, "evaluation": len(self.stream),
            "step": int(result["step"]), "total_steps": result.get("total_steps"),
            "best_finished": None if reference is None else (reference if self.mode == "max" else -reference),
            "stream": self.stream[-int(self.args["history"]):],
        }
        try:
            answer = self.context.judge(request)
        except Exception as error:  # noqa: BLE001 - a lost judge must not end the trial
            log.warning("llm stop rule: no answer for unit %s (%s); %s", self.context.unit_id, error, self.fallback)
            return self.fallback
        decision = answer.get("decision") if isinstance(answer, dict) else None
        return decision if decision in (CONTINUE, STOP) else self.fallback


LLM_STOP = StopRule(
    name="llm",
    doc="every N evaluations a language model sees the trial's metric stream and the constraints and answers "
        "continue or stop; unreadable or unsafe answers fall back to `fallback`",
    options=(
        Option("model", Model(), "the model that decides: local(), openai(...), vllm(...) or a defined model",
               required=True, positional=True),
        Option("every", Int(1, 100_000), "evaluations between two questions", 5),
        Option("history", Int(1, 10_000), "most recent evaluations the prompt shows", 20),
        Option("fallback", Word((CONTINUE, STOP)), "what the rule does when the answer is malformed, unsafe or missing",
               CONTINUE),
        Option("temperature", Number(0, 2), "the model's sampling temperature", 0.0),
        Option("max_tokens", Int(16, 100_000), "the longest answer", 128),
    ),
    start=_LlmStop, contextual=True)
