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

from benchrun.prompts.corpus import COMPONENTS, WALKER, component, corpus
from benchrun.prompts.frame import (
    Frame,
    Prompt,
    PromptError,
    existing_path,
    looks_like_path,
    render_template,
    render_text,
    resolve_path,
    templates_dir,
)
from benchrun.prompts.retrieval import DOC_SUFFIXES, Chunk, docs_chunks, rank_for_task
from benchrun.registry import Entry, Folder, Int, Model, Option, Registry, Text

Sources = list[tuple[str, Path]]
CORPUS_MODULE = Path(__file__).with_name("corpus.py")


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
    "hints": "benchrun.prompts.strategies:HINTS",
    "docprompt": "benchrun.prompts.strategies:DOCPROMPT",
    "retrieval": "benchrun.prompts.strategies:RETRIEVAL",
})
# Set by the benchmark when `tuned(dev = ...)` has tuned a template: the chosen text.
CHOSEN_TEMPLATE = "chosen_template"


# ---------------------------------------------------------------- zero_shot

ZERO_SHOT = StrategyEntry(name="zero_shot", doc="the task's instruction as written",
                          prompt=lambda frame, task, options, base: frame.plain(task.instruction.strip()))


# ---------------------------------------------------------------- tuned


def _template(task: Any, options: dict[str, Any], base: Path) -> Path:
    folder = existing_path(options.get("templates"), base) or templates_dir()
    chosen = folder / f"{task.functionality}.md"
    return chosen if chosen.is_file() else folder / "default.md"


def _tuned(frame: Frame, task: Any, options: dict[str, Any], base: Path) -> Prompt:
    if options.get(CHOSEN_TEMPLATE) is not None:  # tuned on the dev tasks (codegen.prompt_tuning)
        return frame.plain(render_text(options[CHOSEN_TEMPLATE], task, task.instruction.strip()))
    if options.get("dev") is not None:
        raise PromptError("tuned(dev = ...): the template is chosen by the tuning run of the benchmark; "
                          "no tuned template was given")
    folder = resolve_path(options.get("templates"), base) or templates_dir()
    path = _template(task, options, base)
    if not path.is_file():
        raise PromptError(f"tuned: no template {task.functionality}.md or default.md in {folder}")
    return frame.plain(render_template(path, task, task.instruction.strip()))


def _tuned_sources(task: Any, options: dict[str, Any], base: Path) -> Sources:
    # The (starting) template, and with dev every file of the development tasks.
    sources = [(f"templates/{_template(task, options, base).name}", _template(task, options, base))]
    if options.get("dev") is not None:
        files = sorted({f for match in base.glob(str(options["dev"])) if match.is_dir()
                        for f in match.rglob("*") if f.is_file() and "__pycache__" not in f.parts})
        sources += [(f"dev/{f.relative_to(base).as_posix()}", f) for f in files]
    return sources


TUNED = StrategyEntry(
    name="tuned", doc="an instruction template per functionality: fixed (templates = DIR) or tuned on dev tasks "
                      "(dev = GLOB, rounds, proposer)",
    options=(Option("templates", Folder(), "a folder of <functionality>.md and default.md templates "
                                           "(fixed; with dev: where tuning starts)"),
             Option("dev", Text(), "a glob of development task folders (relative to the spec) to tune the template on"),
             Option("rounds", Int(1, 20), "tuning rounds (with dev)", 2),
             Option("candidates", Int(1, 8), "templates the proposer writes per round (with dev)", 2),
             Option("proposer", Model(), "the model that proposes templates (with dev; default: the block's first model)")),
    prompt=_tuned,
    sources=_tuned_sources,
)


# ---------------------------------------------------------------- hints: the task's curated sheet

HINTS = StrategyEntry(
    name="hints", doc="the instruction with the task's own curated hint sheet (docs.md; may hold near-solutions)",
    prompt=lambda frame, task, options, base: frame.with_excerpt(task.instruction.strip(), (task.docs or "").strip()),
)


# ---------------------------------------------------------------- documentation: docprompt, retrieval


def _docs_path(options: dict[str, Any], base: Path) -> bool:
    """A docs value names files (a path) rather than components ("dvc", "gitpython, dvc")."""
    docs = options.get("docs")
    return docs is not None and (looks_like_path(docs) or (base / str(docs)).exists())


def _docs_files(options: dict[str, Any], base: Path) -> Path:
    """The file or folder a docs path names (a PromptError if it does not exist)."""
    path = resolve_path(options["docs"], base)
    assert path is not None, "called only when _docs_path saw a docs value"
    return path


def _components(task: Any, options: dict[str, Any]) -> tuple[str, ...]:
    docs = options.get("docs")
    names = tuple(n for n in str(docs).replace(",", " ").split() if n) if docs is not None else tuple(task.components)
    for name in names:
        component(name)  # an unknown component is a PromptError naming the known ones
    return names


def _docs_sources(task: Any, options: dict[str, Any], base: Path) -> Sources:
    if not _docs_path(options, base):
        # the corpus is a function of the walker, the component table and the libraries
        # (the sandbox image, in the unit's sandbox parameters)
        return [("apidocs/walk_api.py", WALKER), ("apidocs/corpus.py", CORPUS_MODULE)]
    docs = options["docs"]
    root = existing_path(docs, base)
    if root is None:
        return [(f"docs/{docs}", base / str(docs))]  # missing: the unit fails when it runs
    if root.is_file():
        return [(f"docs/{root.name}", root)]
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in DOC_SUFFIXES)
    return [(f"docs/{p.relative_to(root).as_posix()}", p) for p in files]


def _ranked(chunks: list[Chunk], task: Any, top_k: int | None = None) -> list[Chunk]:
    return rank_for_task(chunks, task.instruction, "\n".join(task.inputs.values()), top_k)


def _docprompt(frame: Frame, task: Any, options: dict[str, Any], base: Path) -> Prompt:
    """The API reference of the named components (default: the task's), most relevant
    objects first: ranked by BM25 against the instruction and the code, then the rest in
    reference order; the frame drops the least relevant to fit the context."""
    if _docs_path(options, base):
        chunks = list(docs_chunks(_docs_files(options, base)))
    else:
        chunks = list(corpus(_components(task, options)))
    first = _ranked(chunks, task)
    chosen = set(first)
    return frame.with_chunks(task.instruction.strip(), first + [c for c in chunks if c not in chosen])


def _retrieval(frame: Frame, task: Any, options: dict[str, Any], base: Path) -> Prompt:
    if int(options["top_k"]) < 1:  # the grammar refuses it too; this is for direct callers
        raise PromptError(f"retrieval(top_k = {options['top_k']}): top_k must be at least 1")
    chunks: list[Chunk]
    if _docs_path(options, base):
        chunks = docs_chunks(_docs_files(options, base))
    else:
        names = _components(task, options) if options.get("docs") is not None else tuple(COMPONENTS)
        chunks = corpus(names)
    return frame.with_chunks(task.instruction.strip(), _ranked(chunks, task, int(options["top_k"])))


DOCPROMPT = StrategyEntry(
    name="docprompt", doc="the instruction with the API reference of the task's components, most relevant objects first",
    options=(Option("docs", Text(), "components (\"dvc\", \"gitpython, dvc\"; default: the task's) "
                                    "or a docs file or folder", positional=True),),
    prompt=_docprompt, sources=_docs_sources,
)
RETRIEVAL = StrategyEntry(
    name="retrieval", doc="the instruction with the top_k API reference chunks of every component, "
                          "ranked by BM25 against the instruction and code",
    options=(Option("top_k", Int(1, 100), "chunks to include", 3),
             Option("docs", Text(), "components to search (default: all) or a docs file or folder")),
    prompt=_retrieval, sources=_docs_sources,
)
