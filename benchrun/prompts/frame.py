"""The frame every prompt shares, and fitting it into the model's context.

Truncation rule, when the estimated prompt (+ max_tokens for the answer) exceeds the
context: documentation goes first, never the instruction or the code. Ranked chunks
(docprompt: every API object of the named components, most relevant to the task first;
retrieval: its top_k) are kept as the longest best-first run that fits, so the least
relevant go first; a single docs text (hints, a docs file) is cut at the last paragraph
break that fits (then mid-paragraph) and the cut is marked. If the prompt still does not fit
with no documentation left, it is sent as it is with `fits=False` (the server decides).
"""
from __future__ import annotations

import hashlib
import json
import math
import string
from pathlib import Path
from typing import Any

import attrs

from benchrun.errors import BenchrunError
from benchrun.prompts.retrieval import Chunk

TEMPLATES = Path(__file__).parent / "templates"
CHARS_PER_TOKEN = 3.5  # a conservative average for English and code with BPE tokenizers
MESSAGE_OVERHEAD_TOKENS = 8  # chat-template tokens around each message
TRUNCATION_MARK = "\n\n[... documentation truncated to fit the context ...]"


def templates_dir() -> Path:
    """The built-in templates (read at call time, so a test can point it elsewhere)."""
    return TEMPLATES


class PromptError(BenchrunError, ValueError):
    """A strategy that cannot be built as written (unknown name or option, missing docs)."""


@attrs.frozen
class Prompt:
    messages: list[dict[str, str]]
    truncated: bool  # documentation was dropped or cut to fit the context
    prompt_hash: str  # sha256 of the messages: the prompt's identity in the store
    tokens: int  # estimated prompt tokens
    fits: bool  # prompt + max_tokens within the context (after truncation)
    docs_chunks: int = 0  # documentation chunks included (1 for a whole docs text)
    note: str = ""  # what truncation did, in words
    docs_tokens: int = 0  # estimated tokens of the documentation included


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def messages_tokens(messages: list[dict[str, str]]) -> int:
    return sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages)


def prompt_hash(messages: list[dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps(messages, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@attrs.frozen
class Frame:
    """What every strategy sends: the system message, and a user message with the
    instruction, the documentation (if any) and the input program(s); `budget` is the
    prompt's share of the context. A strategy chooses the instruction and the docs."""

    task: Any
    system: str
    budget: int

    def messages(self, instruction: str, docs: str = "") -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system},
                {"role": "user", "content": _user(self.task, instruction, docs)}]

    def plain(self, instruction: str) -> Prompt:
        return _finish(self.messages(instruction), self.budget)

    def with_excerpt(self, instruction: str, text: str) -> Prompt:
        """One documentation text, cut at a paragraph break if it does not fit."""
        return _fit_excerpt(lambda docs: self.messages(instruction, docs), text, self.budget)

    def with_chunks(self, instruction: str, chunks: list[Chunk]) -> Prompt:
        """Ranked documentation chunks, the lowest-ranked dropped first to fit."""
        return _fit_chunks(lambda docs: self.messages(instruction, docs), chunks, self.budget)


def existing_path(value: Any, base: Path) -> Path | None:
    try:
        return resolve_path(value, base)
    except PromptError:
        return None


# ---------------------------------------------------------------- the message


def _user(task: Any, instruction: str, docs: str) -> str:
    parts = [instruction]
    if docs:
        parts.append(f"## API documentation\n\n{docs}")
    entry = task.entry
    files = sorted(task.inputs, key=lambda f: (f != entry, f))  # the entry file first
    code = [f"### `{f}`\n\n```python\n{task.inputs[f].rstrip()}\n```" for f in files]
    parts.append("## Input program" + ("s" if len(files) > 1 else "") + "\n\n" + "\n\n".join(code))
    parts.append(f"Rewrite `{entry}`. Answer with the complete new content of `{entry}` in one ```python fenced block.")
    return "\n\n".join(parts)


def render_template(path: Path, task: Any, instruction: str = "") -> str:
    return render_text(path.read_text(), task, instruction)


def render_text(template: str, task: Any, instruction: str = "") -> str:
    values = {
        "instruction": instruction,
        "entry": task.entry,
        "components": ", ".join(task.components) or "the libraries named",
        "functionality": task.functionality,
    }
    return string.Template(template).safe_substitute(values).strip()


# ---------------------------------------------------------------- documentation


def resolve_path(value: Any, base: Path) -> Path | None:
    if value is None:
        return None
    path = Path(str(value)).expanduser()
    path = path if path.is_absolute() else base / path
    if not path.exists():
        raise PromptError(f"docs or templates path not found: {path}")
    return path


def looks_like_path(value: Any) -> bool:
    text = str(value)
    return "/" in text or "\\" in text or Path(text).suffix.lower() in {".md", ".txt", ".rst", ".markdown"}


# ---------------------------------------------------------------- fitting the context


def _finish(messages, budget: int, *, truncated=False, chunks=0, note="", docs="") -> Prompt:
    tokens = messages_tokens(messages)
    return Prompt(messages, truncated, prompt_hash(messages), tokens, tokens <= budget, chunks, note,
                  estimate_tokens(docs) if docs else 0)


def _fit_chunks(frame, chunks: list[Chunk], budget: int) -> Prompt:
    # The longest prefix whose estimate fits (thousands of chunks: no rebuild per chunk),
    # then the lowest-ranked chunk goes first until the real message fits.
    room = budget - messages_tokens(frame(""))
    used, count = 0, 0
    for chunk in chunks:
        used += estimate_tokens(chunk.render()) + 2
        if used > room:
            break
        count += 1
    kept = list(chunks[:count])
    while kept and messages_tokens(frame(_join(kept))) > budget:
        kept.pop()
    dropped = len(chunks) - len(kept)
    note = f"dropped {dropped} of {len(chunks)} docs chunks to fit the context" if dropped else ""
    return _finish(frame(_join(kept)), budget, truncated=dropped > 0, chunks=len(kept), note=note, docs=_join(kept))


def _join(chunks: list[Chunk]) -> str:
    return "\n\n---\n\n".join(c.render() for c in chunks)


def _fit_excerpt(frame, text: str, budget: int) -> Prompt:
    if not text or messages_tokens(frame(text)) <= budget:
        return _finish(frame(text), budget, chunks=1 if text else 0, docs=text)
    spare = budget - messages_tokens(frame("")) - estimate_tokens(TRUNCATION_MARK) - 16  # the docs heading
    keep_chars = max(0, int(spare * CHARS_PER_TOKEN))
    cut = text[:keep_chars]
    paragraph = cut.rfind("\n\n")
    if paragraph > keep_chars // 2:  # prefer a paragraph break, unless it wastes half the room
        cut = cut[:paragraph]
    cut = cut.rstrip()
    while cut and messages_tokens(frame(cut + TRUNCATION_MARK)) > budget:  # estimate slack
        cut = cut[: int(len(cut) * 0.9)].rstrip()
    docs = cut + TRUNCATION_MARK if cut else ""
    note = f"docs excerpt cut from {len(text)} to {len(cut)} characters to fit the context"
    return _finish(frame(docs), budget, truncated=True, chunks=1 if cut else 0, note=note, docs=docs)
