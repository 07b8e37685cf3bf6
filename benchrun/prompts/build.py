"""A prompt for a task: the strategy's entry chooses the instruction and documentation,
the frame (frame.py) fits them into the model's context.

Every strategy sends the same frame: a system message (templates/system.md) asking for
the complete rewritten entry file in one ```python block, and a user message with the
instruction, the strategy's documentation (if any) and the input program(s). The
strategies (strategies.py) differ in the instruction and the documentation.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from benchrun.prompts.frame import Frame, Prompt, PromptError, render_template, templates_dir
from benchrun.prompts.strategies import CHOSEN_TEMPLATE, STRATEGIES


def build_prompt(strategy: Any, task: Any, max_context_tokens: int, max_tokens: int, *,
                 base_dir: str | Path | None = None, chosen_template: str | None = None) -> Prompt:
    """`strategy` is a StrategySpec (name, options); `task` has id, functionality,
    components, instruction, inputs, entry, docs. `base_dir` resolves relative docs or
    templates paths (the spec file's folder). `chosen_template`: the template a
    `tuned(dev = ...)` run chose for the task's functionality."""
    entry, options = _entry(strategy)
    if chosen_template is not None:
        options[CHOSEN_TEMPLATE] = chosen_template
    base = Path(base_dir) if base_dir else Path.cwd()
    system = render_template(templates_dir() / "system.md", task)
    return entry.prompt(Frame(task, system, max_context_tokens - max_tokens), task, options, base)


def _entry(strategy: Any) -> tuple[Any, dict[str, Any]]:
    """The strategy's registry entry and its options with defaults filled in."""
    if strategy.name not in STRATEGIES:
        raise PromptError(STRATEGIES.unknown(strategy.name))
    entry = STRATEGIES.get(strategy.name)
    options = dict(strategy.options)
    unknown = sorted(set(options) - {o.name for o in entry.options})
    if unknown:
        known = ", ".join(o.name for o in entry.options) or "none"
        raise PromptError(f"{strategy.name}(...) has no option {', '.join(unknown)}; its options: {known}")
    return entry, {**entry.defaults(), **options}


# ---------------------------------------------------------------- what a prompt is made of


def prompt_digest(strategy: Any, task: Any, *, base_dir: str | Path | None = None) -> str:
    """sha256 of the template and documentation files `strategy` reads for `task` (the
    task's own docs excerpt is part of the task): what a unit id hashes, so editing a
    template or a docs file re-runs exactly the units whose prompts it is in. Files are
    named relative to their folder, so moving the project keeps the ids."""
    digest = hashlib.sha256()
    for name, path in _prompt_sources(strategy, task, Path(base_dir) if base_dir else Path.cwd()):
        digest.update(name.encode() + b"\0")
        digest.update((path.read_bytes() if path.is_file() else b"<missing>") + b"\0")
    return digest.hexdigest()


def _prompt_sources(strategy: Any, task: Any, base: Path) -> list[tuple[str, Path]]:
    entry, options = _entry(strategy)
    return [("system.md", templates_dir() / "system.md"), *entry.sources(task, options, base)]
