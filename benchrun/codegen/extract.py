"""Getting the program out of a model's answer.

Models answer in many shapes: one fenced block, several (the file, then a usage example
or a `pip install` line), a fence never closed because the answer hit max_tokens, bare
code, or code wrapped in prose. `extract_code` returns the code it chose and an outcome
saying which shape it found, so reports can tell "no code" from "wrong code":

  fenced                  exactly one fenced block
  fenced_multiple_chosen  several blocks; the best one was chosen (see _score)
  fenced_unterminated     the chosen block's fence was never closed (kept up to the end)
  whole_file              no fence; the whole answer is Python
  prose_stripped          no fence; the Python between leading/trailing prose was kept
  completion              no fence; an indented body that continues the prompt (HumanEval's
                          original form, as base models answer), cut where it stops parsing
  none                    nothing that looks like Python
"""
from __future__ import annotations

import ast
import re
import threading

import attrs

NON_PYTHON = {"bash", "sh", "shell", "console", "zsh", "text", "txt", "json", "yaml", "yml", "toml",
              "ini", "diff", "output", "plaintext", "cmd", "powershell", "dockerfile", "sql", "markdown", "md"}
PYTHON = {"python", "py", "python3", "py3"}
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)")
# A line that can start a Python program (as opposed to a sentence of prose).
_CODE_START = re.compile(
    r"^(import\s|from\s+\S+\s+import\s|def\s|async\s+def\s|class\s|@|#|if\s+__name__|"
    r"[A-Za-z_][\w.]*(\[[^\]]*\])?\s*(=|\(|\+=|:\s*\w+\s*=)|\"\"\"|''')"
)


# CPython 3.11's ast.parse is not thread-safe: building the Python AST objects keeps a
# recursion depth in interpreter-wide state, and a thread switch in the middle (a garbage
# collection running a finaliser) makes it raise "SystemError: AST constructor recursion
# depth mismatch". Extraction runs on the run's worker threads, so parsing is serialised.
_PARSE_LOCK = threading.Lock()


def _parse(code: str) -> ast.Module:
    with _PARSE_LOCK:
        return ast.parse(code)


@attrs.frozen
class Extraction:
    code: str  # "" when outcome is "none"
    outcome: str
    blocks: int = 0  # fenced blocks found in the answer


@attrs.frozen
class _Block:
    code: str
    lang: str
    label: str  # the text line just before the fence, e.g. "# train.py" or "**train.py**:"
    terminated: bool
    index: int


def extract_code(text: str, entry_name: str, original: str | None = None, prompt: str = "") -> Extraction:
    """The program in `text`, meant to replace the file `entry_name`, or, when `prompt` is
    given (HumanEval's), to continue it.

    `original` (the input program) helps choose among several blocks: the block that
    keeps the most of its top-level imports and definitions wins ties on form."""
    blocks = _fenced_blocks(text)
    if blocks:
        pythonish = [b for b in blocks if b.lang not in NON_PYTHON and b.code.strip()] or [b for b in blocks if b.code.strip()]
        if pythonish:
            names = _top_level_names(original) if original else set()
            best = max(pythonish, key=lambda b: _score(b, entry_name, names, prompt))
            if not best.terminated:
                outcome = "fenced_unterminated"
            else:
                outcome = "fenced" if len(blocks) == 1 else "fenced_multiple_chosen"
            return Extraction(_tidy(best.code), outcome, len(blocks))
    if _looks_like_code(text):
        return Extraction(_tidy(text), "whole_file", len(blocks))
    completion = _completion(text, prompt) if prompt else None
    if completion is not None:
        return Extraction(_tidy(completion), "completion", len(blocks))
    stripped = _strip_prose(text)
    if stripped is not None:
        return Extraction(_tidy(stripped), "prose_stripped", len(blocks))
    return Extraction("", "none", len(blocks))


# ---------------------------------------------------------------- fenced blocks


def _fenced_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    lines = text.splitlines()
    i = 0
    previous = ""
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                previous = lines[i].strip()
            i += 1
            continue
        fence, lang = match.group(1), match.group(2).lower().lstrip("{.").rstrip("}")
        body: list[str] = []
        i += 1
        terminated = False
        while i < len(lines):
            line = lines[i]
            if line.strip().startswith(fence[0] * len(fence)) and line.strip().strip(fence[0]) == "":
                terminated = True
                i += 1
                break
            body.append(line)
            i += 1
        blocks.append(_Block("\n".join(body), lang, previous, terminated, len(blocks)))
        previous = ""
    return blocks


def _score(block: _Block, entry_name: str, names: set[str], prompt: str = "") -> tuple:
    """Higher is better: named after the entry file, then valid Python (alone, or after the
    prompt it continues), python-tagged, keeps the original's names, terminated, then the
    longest (the whole file rather than a snippet of it), then the later one (a corrected
    version usually comes last)."""
    first_line = block.code.lstrip().splitlines()[0] if block.code.strip() else ""
    named = entry_name in block.label or entry_name in block.lang or (first_line.startswith("#") and entry_name in first_line)
    kept = len(names & _top_level_names(block.code)) if names else 0
    valid = _parses(block.code) or bool(prompt and _parses(prompt + _tidy(block.code)))
    return (named, valid, block.lang in PYTHON, kept, block.terminated, len(block.code), block.index)


# ---------------------------------------------------------------- unfenced answers


def _parses(code: str) -> bool:
    try:
        _parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _looks_like_code(code: str) -> bool:
    """Parses, and is more than bare names or constants (`Sure` parses too)."""
    try:
        tree = _parse(code)
    except (SyntaxError, ValueError):
        return False
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Constant))) for node in tree.body)


def _completion(text: str, prompt: str) -> str | None:
    """An answer that continues `prompt`: it starts indented (the function's body), and
    the prompt + its longest run of leading lines parses (what follows, prose or a cut-off
    line, is dropped, as the original harness's stop sequences drop it)."""
    lines = text.strip("\n").splitlines()
    if not lines or not lines[0][:1].isspace():
        return None
    for end in range(len(lines), 0, -1):
        candidate = "\n".join(lines[:end]) + "\n"
        if candidate.strip() and _parses(prompt + candidate):
            return candidate
    return None


def _strip_prose(text: str) -> str | None:
    """The longest run of lines that starts like code and parses, trying the first few
    code-like starting lines and cutting trailing prose line by line."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _CODE_START.match(line)][:5]
    best: str | None = None
    for start in starts:
        for end in range(len(lines), start, -1):
            candidate = "\n".join(lines[start:end])
            if _looks_like_code(candidate):
                if best is None or len(candidate) > len(best):
                    best = candidate
                break
    return best


def _top_level_names(code: str | None) -> set[str]:
    try:
        tree = _parse(code or "")
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _tidy(code: str) -> str:
    return code.strip("\n").rstrip() + "\n"
