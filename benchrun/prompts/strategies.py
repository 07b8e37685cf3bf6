"""The prompting strategies a spec can name, each declared once with its options.

A strategy chooses the instruction and the documentation of a prompt; the frame around
them and fitting the context are `build.Frame`'s. `sources` names the template and docs
files a strategy reads for a task, so editing one re-runs exactly the units it is in. A
plugin adds a strategy through the entry-point group `benchrun.strategies`.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from benchrun.prompts.frame import (
    Frame,
    Prompt,
    PromptError,
    existing_path,
    looks_like_path,
    render_template,
    resolve_path,
    templates_dir,
)
from benchrun.prompts.retrieval import DOC_SUFFIXES, Chunk, chunk_markdown, docs_chunks, rank
from benchrun.registry import Entry, Folder, Int, Option, Registry, Text

Sources = list[tuple[str, Path]]


def no_sources(task: Any, options: dict[str, Any], base: Path) -> Sources:
    return []


@attrs.frozen(kw_only=True)
class StrategyEntry(Entry):
    """`prompt(frame, task, options, base)`: the prompt for `task` (options have their
    defaults; `base` is the spec's folder). `sources(task, options, base)`: the files it
    reads, as (stable name, path)."""

    prompt: Callable[[Frame, Any, dict[str, Any], Path], Prompt]
    sources: Callable[[Any, dict[str, Any], Path], Sources] = no_sources


STRATEGIES: Registry[StrategyEntry] = Registry("strategies", "strategy", StrategyEntry, {
    "zero_shot": "benchrun.prompts.strategies:ZERO_SHOT",
    "tuned": "benchrun.prompts.strategies:TUNED",
    "docprompt": "benchrun.prompts.strategies:DOCPROMPT",
    "retrieval": "benchrun.prompts.strategies:RETRIEVAL",
})


# ---------------------------------------------------------------- zero_shot

ZERO_SHOT = StrategyEntry(name="zero_shot", doc="the task's instruction as written",
                          prompt=lambda frame, task, options, base: frame.plain(task.instruction.strip()))


# ---------------------------------------------------------------- tuned


def _template(task: Any, options: dict[str, Any], base: Path) -> Path:
    folder = existing_path(options.get("templates"), base) or templates_dir()
    chosen = folder / f"{task.functionality}.md"
    return chosen if chosen.is_file() else folder / "default.md"


def _tuned(frame: Frame, task: Any, options: dict[str, Any], base: Path) -> Prompt:
    folder = resolve_path(options.get("templates"), base) or templates_dir()
    path = _template(task, options, base)
    if not path.is_file():
        raise PromptError(f"tuned: no template {task.functionality}.md or default.md in {folder}")
    return frame.plain(render_template(path, task, task.instruction.strip()))


TUNED = StrategyEntry(
    name="tuned", doc="the refined instruction of the task's functionality (templates/<functionality>.md)",
    options=(Option("templates", Folder(), "a folder of <functionality>.md and default.md templates"),),
    prompt=_tuned,
    sources=lambda task, options, base: [(f"templates/{_template(task, options, base).name}",
                                          _template(task, options, base))],
)


# ---------------------------------------------------------------- documentation: docprompt, retrieval


def _docs_path(options: dict[str, Any], base: Path) -> bool:
    """A docs value names files (a path) rather than the task's own excerpt ("dvc")."""
    docs = options.get("docs")
    return docs is not None and (looks_like_path(docs) or (base / str(docs)).exists())


def _docs_sources(task: Any, options: dict[str, Any], base: Path) -> Sources:
    if not _docs_path(options, base):
        return []
    docs = options["docs"]
    root = existing_path(docs, base)
    if root is None:
        return [(f"docs/{docs}", base / str(docs))]  # missing: the unit fails when it runs
    if root.is_file():
        return [(f"docs/{root.name}", root)]
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in DOC_SUFFIXES)
    return [(f"docs/{p.relative_to(root).as_posix()}", p) for p in files]


def _docprompt(frame: Frame, task: Any, options: dict[str, Any], base: Path) -> Prompt:
    """A docs path (file or folder) gives that text; a bare name such as "dvc" or no
    value means the task's own API docs excerpt (task.docs)."""
    if _docs_path(options, base):
        text = "\n\n".join(c.render() for c in docs_chunks(resolve_path(options["docs"], base)))
    else:
        text = (task.docs or "").strip()
    return frame.with_excerpt(task.instruction.strip(), text)


def _retrieval(frame: Frame, task: Any, options: dict[str, Any], base: Path) -> Prompt:
    if int(options["top_k"]) < 1:  # the grammar refuses it too; this is for direct callers
        raise PromptError(f"retrieval(top_k = {options['top_k']}): top_k must be at least 1")
    chunks: list[Chunk]
    if _docs_path(options, base):
        chunks = docs_chunks(resolve_path(options["docs"], base))
    else:
        chunks = chunk_markdown(task.docs or "", "task")
    query = "\n".join([task.instruction, *task.inputs.values()])
    return frame.with_chunks(task.instruction.strip(), rank(chunks, query, int(options["top_k"])))


DOCPROMPT = StrategyEntry(
    name="docprompt", doc="the instruction with an API documentation excerpt",
    options=(Option("docs", Text(), "a docs file or folder; a bare name: the task's own excerpt", positional=True),),
    prompt=_docprompt, sources=_docs_sources,
)
RETRIEVAL = StrategyEntry(
    name="retrieval", doc="the instruction with the top_k docs chunks ranked by BM25 against the instruction and code",
    options=(Option("top_k", Int(1, 100), "chunks to include", 3),
             Option("docs", Text(), "a docs file or folder; none: the task's own excerpt")),
    prompt=_retrieval, sources=_docs_sources,
)
