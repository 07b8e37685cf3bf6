"""`tuned(dev = GLOB, rounds = N, proposer = MODEL)`: prompt tuning as a recorded process.

Per functionality, starting from its fixed template (templates/<functionality>.md): the
template is scored by pass@1 on the development tasks of that functionality (one sample
per task and block model, generated and judged as any benchmark sample is); then each
round the proposer is shown the best template so far, its score and the failures it
caused (category and check output), and writes `candidates` new templates (in the spirit
of OPRO); each is scored the same way, and one that scores strictly higher becomes the
best. Every candidate is a row of `prompt_candidates` (its round, slot, text, score and
whether it was kept) written when its round ends, so a resumed run reuses stored rounds
and asks nothing twice. The last kept template is used on the benchmark's own tasks,
which `benchrun check` keeps apart from the development tasks.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from benchrun.codegen.extract import extract_code
from benchrun.codegen.failures import Failure
from benchrun.codegen.sources import load_paths
from benchrun.codegen.tasks import Task, find_task_folders
from benchrun.models import GenerationParams
from benchrun.models.providers import PROVIDERS
from benchrun.prompts import STRATEGIES, PromptError, build_prompt
from benchrun.prompts.frame import templates_dir

TABLE = "prompt_candidates"
FAILURE_TAIL = 600  # characters of check output shown to the proposer per failure
MAX_FAILURES_SHOWN = 6
_TEMPLATE_BLOCK = re.compile(r"```(?:template|text|markdown|md)?\s*\n(.*?)```", re.S)


def dev_folders(pattern: str, base_dir: str) -> list[str]:
    """The task folders a dev glob names (relative to the spec's folder), sorted."""
    full = os.path.join(base_dir, os.path.expanduser(pattern))
    folders = {os.path.normpath(str(f)) for match in glob.glob(full) if os.path.isdir(match)
               for f in find_task_folders(match)}
    return sorted(folders)


def tuner_for(block: Any, sampler: Any, models: Any, ctx: Any) -> PromptTuner:
    """The block's tuner, generating with the block's sampling settings (one answer per
    request, no completion cache: a candidate's score is measured) and judging as its
    samples are judged."""
    params = GenerationParams(temperature=block.temperature, max_tokens=block.max_tokens, seed=block.seed)

    def generate(model, messages) -> str:
        return models.generate(model, messages, 1, params)[0].text

    return PromptTuner(block, str(sampler.base_dir), generate, sampler.verdict, ctx.store, ctx.run_id)


@attrs.frozen
class Scored:
    template: str
    score: float | None  # pass@1 on the dev tasks; None: not scored (invalid)
    failures: list[dict]  # [{task, model, failure, output}]


class PromptTuner:
    """Tunes, once per (strategy, functionality) and block run, on first use from any
    worker thread. `generate(model, messages) -> text` and `judge(task, code) -> row`
    are the benchmark's own (see the workload); `store` keeps the candidates."""

    def __init__(self, block: Any, base_dir: str, generate: Callable, judge: Callable, store: Any, run_id: str):
        self.block, self.base_dir = block, base_dir
        self.generate, self.judge, self.store, self.run_id = generate, judge, store, run_id
        self._chosen: dict[tuple, str] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()

    def chosen(self, strategy: Any, model: Any, functionality: str, level: str = "detailed") -> str | None:
        """The tuned template a unit's prompt uses (None when its strategy is not tuned on
        dev tasks). A model that ignores prompts (oracle, identity) gets the starting
        template: it neither waits for a tuning nor starts one."""
        if strategy.name != "tuned" or dict(strategy.options).get("dev") is None:
            return None
        if PROVIDERS.get(model.kind).prompt_free:
            return _start_template(self._options(strategy), self.base_dir, functionality)
        return self.template(strategy, functionality, level)

    def _options(self, strategy: Any) -> dict:
        # the block's own spec: unit params hold a proposer as plain data
        written = next(s for s in self.block.strategies if s.label == strategy.label)
        return {**STRATEGIES.get("tuned").defaults(), **dict(written.options)}

    def template(self, strategy: Any, functionality: str, level: str = "detailed") -> str:
        """Tuned once per (strategy, functionality, instruction level): the dev tasks are
        shown at the level the evaluation's prompts use."""
        key = (strategy.label, functionality, level)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._chosen:
                self._chosen[key] = self._tune(self._options(strategy), strategy.label, functionality, level)
            return self._chosen[key]

    # ------------------------------------------------------------ the process

    def _tune(self, options: dict, label: str, functionality: str, level: str) -> str:
        start = _start_template(options, self.base_dir, functionality)
        tasks = [t.at_level(level) for t in load_paths(dev_folders(options["dev"], self.base_dir))
                 if t.functionality == functionality]
        models = [m for m in self.block.models if not PROVIDERS.get(m.kind).prompt_free]
        if not tasks or not models:
            return start  # no dev task of this functionality, or no model reads prompts
        proposer = options.get("proposer") or models[0]
        study = _study(self.block, label, functionality, tasks, proposer, level)
        stored = self._stored(study)
        best: Scored | None = None
        for round_ in range(int(options["rounds"]) + 1):
            if round_ in stored:
                rows = stored[round_]
            else:
                texts: list[tuple[str, str | None]]  # (template, why it is refused or None)
                if round_ == 0:
                    texts = [(start, None)]
                elif best is None:  # round 0 keeps the start template unless it is refused
                    raise PromptError(f"tuned: the {functionality} start template has no $instruction placeholder")
                else:
                    texts = self._propose(proposer, best, int(options["candidates"]))
                rows = self._score_round(study, label, functionality, round_, texts, tasks, models, best)
            for row in rows:
                if row["kept"]:
                    best = Scored(row["template"], row["score"], json.loads(row["failures"] or "[]"))
        return best.template if best else start

    def _score_round(self, study, label, functionality, round_, texts, tasks, models, best) -> list[dict]:
        rows, best_score = [], best.score if best else None
        for slot, (text, refused) in enumerate(texts):
            reason = refused or (None if "$instruction" in text else "no $instruction placeholder")
            valid = reason is None
            scored = self._score(text, tasks, models) if valid else Scored(text, None, [])
            kept = valid and (best_score is None or scored.score > best_score)
            if kept:
                best_score = scored.score
            rows.append({"run_id": self.run_id, "block": self.block.name, "strategy": label,
                         "functionality": functionality, "study": study, "round": round_, "slot": slot,
                         "template": text, "valid": valid, "reason": reason,
                         "score": scored.score, "n": len(tasks) * len(models) if valid else 0,
                         "kept": kept, "failures": json.dumps(scored.failures)})
        if self.store is not None:
            self.store.insert(TABLE, rows)  # the whole round at once: resumed runs reuse it
        return rows

    def _score(self, text: str, tasks: list[Task], models: list) -> Scored:
        passed, failures = 0, []
        for task in tasks:
            for model in models:
                prompt = build_prompt(_Strategy(), task, 1 << 20, self.block.max_tokens, chosen_template=text)
                answer = self.generate(model, prompt.messages)
                verdict: dict[str, Any]
                try:
                    code = extract_code(answer, task.entry, original=task.program).code
                except Exception as error:  # the answer broke extraction: a failure like any
                    code, verdict = "", {"passed": False, "failure": Failure.EXTRACTION_ERROR, "stderr_tail": str(error)}
                else:
                    verdict = self.judge(task, code)
                if verdict["passed"]:
                    passed += 1
                else:
                    failures.append({"task": task.id, "model": model.name, "failure": verdict.get("failure"),
                                     "output": (verdict.get("stderr_tail") or "")[-FAILURE_TAIL:]})
        return Scored(text, passed / (len(tasks) * len(models)), failures)

    def _propose(self, proposer: Any, best: Scored, count: int) -> list[tuple[str, str | None]]:
        """(template, None) per fenced template in the answer; an answer with none is kept
        as one invalid candidate, so the round is recorded (and not asked again)."""
        answer = self.generate(proposer, proposal_messages(best, count))
        blocks = [block.strip() for block in _TEMPLATE_BLOCK.findall(answer)][:count]
        return [(b, None) for b in blocks] or [(answer.strip(), "no ```template block in the proposer's answer")]

    def _stored(self, study: str) -> dict[int, list[dict]]:
        if self.store is None:
            return {}
        columns = ("round", "slot", "template", "score", "kept", "failures")
        found = self.store.query(f"SELECT {', '.join(columns)} FROM {TABLE} WHERE study = ? ORDER BY round, slot", [study])
        rounds: dict[int, list[dict]] = {}
        for values in found:
            row = dict(zip(columns, values))
            rounds.setdefault(row["round"], []).append(row)
        return rounds


@attrs.frozen
class _Strategy:
    """The strategy a candidate is scored with: tuned, its text given as the template."""

    name: str = "tuned"
    options: tuple = ()


def proposal_messages(best: Scored, count: int) -> list[dict[str, str]]:
    shown = "\n\n".join(f"- task {f['task']} ({f['model']}): {f['failure']}\n```\n{f['output'].strip()}\n```"
                        for f in best.failures[:MAX_FAILURES_SHOWN]) or "(none: every development task passed)"
    user = (f"This instruction template is given to a code model that adapts Python ML programs. "
            f"`$instruction` is replaced by the task's own instruction; `$entry`, `$components` and "
            f"`$functionality` may also be used.\n\nCurrent template (pass@1 {best.score:.2f} on the "
            f"development tasks):\n```template\n{best.template}\n```\n\nFailures it caused, with the "
            f"checks' output:\n{shown}\n\nWrite {count} improved templates that avoid these failures. Each must "
            f"keep `$instruction`. Answer with each template in its own ```template fenced block.")
    return [{"role": "system", "content": "You improve prompt templates for code generation."},
            {"role": "user", "content": user}]


def _start_template(options: dict, base_dir: str, functionality: str) -> str:
    folder = Path(base_dir, str(options["templates"])).expanduser() if options.get("templates") else templates_dir()
    path = folder / f"{functionality}.md"
    return (path if path.is_file() else folder / "default.md").read_text().strip()


def _study(block: Any, label: str, functionality: str, tasks: list[Task], proposer: Any, level: str) -> str:
    """What decides a tuning's outcome; the same study resumes from its stored rounds."""
    parts = [block.name, label, functionality, *([level] if level != "detailed" else []), repr(proposer.name), repr(proposer.options),
             *(f"{m.name}{m.options}" for m in block.models), *(t.digest for t in tasks),
             str(block.temperature), str(block.seed), str(block.max_tokens)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
