"""The code-adaptation workload: one unit is one generated sample.

A sample's life is four named steps (`_Sample`): prompt (by strategy) -> complete (the
model; a cell's samples asked for together, see requests.py; or the completion cache) ->
extract (the code) -> judge (a sandbox run of program + checks). Each adds its fields to
one row for the `samples` table or raises `SampleFailed` with a failure category.

A generated program that fails is a result, not an error: its unit is "done" with
passed = false. So is a failure the model would repeat for this prompt (the prompt is
over its context, a refusal, an answer with no code or one that breaks extraction): it
counts in n. A unit only "fails" when it could not be measured (the model stayed down
after retries, the block's budget refused the request, the sandbox engine is gone after
SANDBOX_TRIES, a crash in benchrun); failed units run again when the run resumes, and
reports mark their cells incomplete. Which is which is `Failure.counts_in_n` (failures.py).
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from benchrun.codegen.executors import JUDGING
from benchrun.codegen.extract import extract_code
from benchrun.codegen.failures import FROM_MODEL, LIMITS, Failure, SampleFailed
from benchrun.codegen.judging import Judge, SandboxFailure
from benchrun.codegen.plan import CODEGEN
from benchrun.codegen.prompt_tuning import tuner_for
from benchrun.codegen.requests import Requests, cell_of
from benchrun.codegen.sources import load_tasks
from benchrun.codegen.spec import BenchmarkSpec
from benchrun.codegen.spending import Spending
from benchrun.codegen.tasks import Task, continued_prompt, syntax_error
from benchrun.engine.executors import run_pool
from benchrun.engine.units import Report, RunContext, Unit, UnitOutcome
from benchrun.grammar.spec import StrategySpec
from benchrun.models import GenerationParams, ModelError, ProviderRunner
from benchrun.models.prices import cost_usd, price_of
from benchrun.prompts import PromptError, build_prompt
from benchrun.sandboxes import Limits, SandboxUnavailable
from benchrun.sandboxes.base import Judgement

# When a model does not say how long its context is, prompts are budgeted for this many tokens.
DEFAULT_CONTEXT_TOKENS = 4096
# Tails of the sandbox output kept per sample: enough for a traceback and the check's verdict.
TAIL_CHARS = 4000

# A sample the sandbox could not run (engine lost, container gone) is tried this many
# times, then its unit fails and runs again on resume: infrastructure, not the model.
SANDBOX_TRIES = 3
SANDBOX_RETRY_DELAY_S = 2.0


class CodegenWorkload:
    kind = CODEGEN

    def run_block(self, block: BenchmarkSpec, units: list[Unit], ctx: RunContext, report: Report) -> None:
        # One runner for the whole run: a model's server starts once for every block.
        _run_block(block, units, ctx, report, ctx.shared("codegen.models", lambda: _models(ctx.stop)))


@contextlib.contextmanager
def _models(stop: threading.Event) -> Iterator[ProviderRunner]:
    with ProviderRunner() as models:
        done = threading.Event()
        threading.Thread(target=_cancel_on_stop, args=(stop, done, models), daemon=True).start()
        try:
            yield models
        finally:
            done.set()


def _cancel_on_stop(stop: threading.Event, done: threading.Event, models: ProviderRunner) -> None:
    """On Ctrl-C, end requests in flight at once rather than waiting for slow models."""
    while not done.is_set():
        if stop.wait(0.5):
            models.cancel()
            return


def _run_block(block: BenchmarkSpec, units: list[Unit], ctx: RunContext, report: Report, models: ProviderRunner) -> None:
    tasks = {task.id: task for source in block.tasks for task in load_tasks(source)}
    try:
        sandbox, parallelism = JUDGING.get(block.executor.kind).open(block, ctx.concurrency or block.concurrency)
    except SandboxUnavailable as error:
        for unit in units:
            report(_failed(unit, {}, Failure.SANDBOX, f"sandbox unavailable: {error}"))
        return
    spending = Spending(block.budget)
    requests = Requests(units, ctx, models, spending)
    sample = _Sampler(block, tasks, ctx, requests, sandbox, base_dir=Path(ctx.spec.path).parent)
    with sandbox:
        # A cell's units wait for its first, which asks the model for all of the cell's
        # samples: a thread per sample keeps `parallelism` cells in flight (the sandbox still
        # judges at most `parallelism` samples at once).
        run_pool(units, sample, ctx, report, concurrency=parallelism * block.samples)
    ctx.notes.extend(getattr(sandbox, "notes", ()))  # a cluster's: the nodes lost on the way
    if note := spending.note(block.name):
        ctx.notes.append(note)


class _Sampler:
    """Turns one unit into its outcome; called from the pool's worker threads."""

    def __init__(self, block, tasks: dict[str, Task], ctx: RunContext, requests: Requests, sandbox, base_dir):
        self.block, self.tasks, self.ctx, self.sandbox = block, tasks, ctx, sandbox
        self.requests, self.models = requests, requests.models
        self.base_dir = base_dir
        self.judge = Judge(sandbox, Limits.from_spec(block.sandbox))
        self.model_specs = {m.name: m for m in block.models}
        # Identical programs for the same task are judged once per run: the oracle and
        # identity give one program per task whatever the strategy and sample, and a model
        # at low temperature often repeats itself. Checks are deterministic by design.
        self._verdicts: dict[tuple[str, str], Future] = {}
        self._verdicts_lock = threading.Lock()
        self.tuner = tuner_for(block, self, requests.models, ctx)  # tuned(dev = ...) templates

    def __call__(self, unit: Unit) -> UnitOutcome:
        return _Sample(self, unit).run()  # a crash in a step is run_pool's: it tries the unit again

    def verdict(self, task: Task, code: str) -> dict[str, Any]:
        key = (task.digest, hashlib.sha256(code.encode()).hexdigest())
        with self._verdicts_lock:
            found = self._verdicts.get(key)
            first = found is None
            future = self._verdicts[key] = Future() if found is None else found
        if first:
            try:
                future.set_result(self._judge(task, code))
            except BaseException as error:  # let the next identical sample try again
                with self._verdicts_lock:
                    del self._verdicts[key]
                future.set_exception(error)
                raise
            return future.result()
        return {**future.result(), "judged_once": True}

    def _judge(self, task: Task, code: str) -> dict[str, Any]:
        """Run the program, then its check, in the sandbox; say whether, and how, it failed."""
        if not code.strip():
            return {"passed": False, "failure": Failure.NO_CODE}
        reason = syntax_error(task, code)  # HumanEval: the code, or the prompt + it
        if reason is not None:
            return {"passed": False, "failure": Failure.SYNTAX_ERROR, "stderr_tail": reason}
        started = time.monotonic()
        judgement = self.judge(task, code)
        program, check = judgement.program, judgement.check
        return {
            "exit_code": program.exit_code, "duration_s": time.monotonic() - started,
            "timed_out": program.timed_out, "oom": program.oom_killed,
            "stdout_tail": program.stdout[-TAIL_CHARS:],
            # The check's verdict (which quotes the program's stderr when it crashed).
            "stderr_tail": (check.stderr if check else program.stderr)[-TAIL_CHARS:],
            "passed": judgement.passed,
            "failure": None if judgement.passed else failure_category(judgement),
            # Graded values from the judge's verdict line (stored in sample_measures).
            "measures": [dict(m) for m in judgement.measures],
        }


class _Sample:
    """One unit's sample as named steps, run in order: prompt -> complete -> extract ->
    judge. Each step returns the row fields it adds, or raises SampleFailed; `run` turns
    the first SampleFailed into the unit's outcome (`_failed`)."""

    def __init__(self, sampler: _Sampler, unit: Unit):
        p = unit.params
        self.sampler, self.unit, self.ctx = sampler, unit, sampler.ctx
        self.level = p.get("level", "detailed")
        self.task = sampler.tasks[p["task"]].at_level(self.level)
        self.model = sampler.model_specs[p["model"]["name"]]
        self.strategy = StrategySpec(p["strategy"]["name"], tuple(sorted(p["strategy"]["options"].items())), loc=None)
        self.params = GenerationParams(temperature=p["temperature"], max_tokens=p["max_tokens"], seed=p["seed"])
        self.sample = p["sample"]
        self.messages: list[dict[str, str]] = []  # the prompt as sent: the prompt step's, for the complete step

    def run(self) -> UnitOutcome:
        row: dict[str, Any] = {}
        try:
            for step in (self.prompt, self.complete, self.extract, self.judge):
                row.update(step(row))
        except SampleFailed as failed:
            return _failed(self.unit, {**row, **failed.fields}, failed.failure, failed.detail)
        return UnitOutcome(self.unit.id, "done", samples=[row])

    def prompt(self, row: dict[str, Any]) -> dict[str, Any]:
        """Build the prompt of the strategy (a tuned one's chosen template) and store it once."""
        provider = self.sampler.models.provider(self.model)
        try:
            chosen = self.sampler.tuner.chosen(self.strategy, self.model, self.task.functionality, self.level)
            prompt = build_prompt(self.strategy, self.task, provider.context_tokens or DEFAULT_CONTEXT_TOKENS,
                                  self.params.max_tokens, base_dir=self.sampler.base_dir, chosen_template=chosen)
        except PromptError as error:
            raise SampleFailed(Failure.PROMPT, f"prompt {self.strategy.label}: {error}") from None
        if self.ctx.store is not None:  # the prompt as sent, stored once; samples name it by hash
            self.ctx.store.put_prompt(prompt.prompt_hash, prompt.messages, prompt.tokens)
        self.messages = prompt.messages
        return {
            "task": self.task.id, "functionality": self.task.functionality, "model": self.model.name,
            "strategy": self.strategy.label, "sample": self.sample, "prompt_hash": prompt.prompt_hash,
            "prompt_truncated": prompt.truncated, "prompt_tokens": prompt.tokens,
            "docs_chunks": prompt.docs_chunks, "docs_tokens": prompt.docs_tokens,
        }

    def complete(self, row: dict[str, Any]) -> dict[str, Any]:
        """The model's completion (from the cell's request or the cache), priced."""
        price = price_of(self.model)
        try:
            completion, cached = self.sampler.requests.completion(
                cell_of(self.unit.labels), self.sample, self.model, self.messages, self.params, self.task, price)
        except ModelError as error:
            failure = FROM_MODEL.get(error.reason, Failure.MODEL)  # the model's answer to this prompt, or down
            if not failure.counts_in_n and self.ctx.fail_fast:
                self.ctx.stop.set()
            raise SampleFailed(failure, f"model {self.model.name}: {error}") from None
        return {"completion": completion["text"], "tokens_in": completion["tokens_in"],
                "tokens_out": completion["tokens_out"], "latency_s": completion["latency_s"], "cached": cached,
                "request_id": completion.get("request_id"), "n_fallback": completion.get("n_fallback"),
                "cost_usd": cost_usd(price, completion["tokens_in"], completion["tokens_out"])}

    def extract(self, row: dict[str, Any]) -> dict[str, Any]:
        """The program in the completion."""
        task = self.task
        try:
            extraction = extract_code(row["completion"], task.entry, original=task.program,
                                      prompt=continued_prompt(task))
        except Exception as error:  # the same answer would break it again: count it, keep the answer
            raise SampleFailed(Failure.EXTRACTION_ERROR, f"{type(error).__name__}: {error}",
                               fields={"extraction": "error"}) from None
        return {"code": extraction.code, "extraction": extraction.outcome}

    def judge(self, row: dict[str, Any]) -> dict[str, Any]:
        """The program's verdict; a sandbox that could not run it is tried SANDBOX_TRIES times."""
        attempt = 1
        while True:
            try:
                return self.sampler.verdict(self.task, row["code"])
            except SandboxFailure as error:  # not the program's fault: try again, else re-run on resume
                if attempt == SANDBOX_TRIES or self.ctx.stop.is_set():
                    raise SampleFailed(Failure.SANDBOX, f"sandbox: {error}") from None
                self.ctx.stop.wait(SANDBOX_RETRY_DELAY_S * attempt)
                attempt += 1


def _failed(unit: Unit, row: dict[str, Any], failure: Failure, detail: str) -> UnitOutcome:
    """A sample that failed before its program was judged: a done unit whose sample counts
    in n, or, when it could not be measured, a failed unit that runs again on resume."""
    if not failure.counts_in_n:
        return UnitOutcome(unit.id, "failed", error=detail)
    sample = {"completion": None, "code": "", "extraction": "none", **row,
              "passed": False, "failure": failure, "stderr_tail": detail[-TAIL_CHARS:]}
    return UnitOutcome(unit.id, "done", samples=[sample])


def failure_category(judgement: Judgement) -> Failure:
    """Why a judged program did not pass: a limit, the program crashing, or the checks."""
    program = judgement.program
    if program.category in LIMITS:
        return Failure(program.category)
    if judgement.check is None or program.exit_code != 0:
        return Failure.RUNTIME_ERROR  # it crashed, or could not be cleaned up to be judged
    return Failure.CHECK_FAILED
