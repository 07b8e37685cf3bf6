"""What a task's `after` commands fed the program: each command writes a file with a
pristine helper of the task's input (`python3 -I feed.py OUT --option value ...`) and then
runs the program on it. The helper's options say what the file is (a clean batch, a
shifted one, rows with a fault), so the check derives the expected outcome from the
command itself and the commands are written down once, in task.toml."""
from __future__ import annotations

import dataclasses
import shlex

from .judge import _JUDGE, after_run, fail


@dataclasses.dataclass(frozen=True)
class Fed:
    """One `after` command that fed the program a file made by the task's helper."""

    command: str
    path: str  # the file the helper wrote (relative to the program's dir)
    options: dict  # the helper's options but `keep`: {"shift": ["alcohol=3"], ...}; {} = untouched data
    given: dict  # every option the helper was given, `keep` too: {"seed": ["3"], "shift": [...]}
    run: dict  # {"rc", "stdout", "stderr"} of the whole command, as the sandbox recorded it
    cwd: str = "."  # the dir the command ran the program in (a `cd DIR &&` before it)

    @property
    def output(self) -> str:
        return (self.run.get("stdout") or "") + "\n" + (self.run.get("stderr") or "")


def _segments(command: str) -> list[list[str]]:
    """The simple commands of a shell list (`a && b; c`), as words."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    segments: list[list[str]] = []
    words: list[str] = []
    for word in lexer:
        if word in ("&&", "||", ";", "|", "&"):
            segments.append(words)
            words = []
        else:
            words.append(word)
    return [*segments, words]


def _helper_call(words: list[str], helper: str) -> list[str] | None:
    """The helper's argv if `words` run it with python (`python3 [-I] [../]helper ...`)."""
    if not words or words[0] not in ("python", "python3"):
        return None
    rest = [w for w in words[1:] if w != "-I"]
    if rest and rest[0].rsplit("/", 1)[-1] == helper:
        return rest[1:]
    return None


def parse_options(argv: list[str]) -> tuple[str, dict[str, list[str]]]:
    """`OUT --key value --key value2` -> ("OUT", {"key": ["value", "value2"]})."""
    if not argv or argv[0].startswith("--"):
        raise ValueError(f"the helper's first argument must be the file it writes: {argv}")
    options: dict[str, list[str]] = {}
    path, rest = argv[0], argv[1:]
    if len(rest) % 2:
        raise ValueError(f"options must come as --key value pairs: {rest}")
    for key, value in zip(rest[::2], rest[1::2]):
        if not key.startswith("--"):
            raise ValueError(f"expected an option, got {key!r} in {argv}")
        options.setdefault(key[2:], []).append(value)
    return path, options


def fed_files(helper: str = "feed.py", keep: tuple[str, ...] = ("seed", "rows")) -> list[Fed]:
    """Every `after` command that runs `helper`, in order, with its run. Options in `keep`
    (a seed, a size) say which sample of the data the file is, not how it was changed."""
    fed = []
    for command in _JUDGE.get("after") or []:
        segments, cwd = _segments(command), "."
        for words in segments:
            if words[:1] == ["cd"] and len(words) == 2:
                cwd = words[1]
            argv = _helper_call(words, helper)
            if argv is not None:
                try:
                    path, options = parse_options(argv)
                except ValueError as error:
                    fail(f"task.toml: `{command}`: {error}")
                changes = {k: v for k, v in options.items() if k not in keep}
                fed.append(Fed(command=command, path=path, options=changes, given=options,
                               run=after_run(command), cwd=cwd))
                break
    if not fed:
        fail(f"the task runs no `{helper}` in its after commands (a broken task)")
    return fed


def printed(text: str, name: str) -> str | None:
    """The value of the last line `name: value` (or `name=value`) in `text`, stripped;
    None if there is none. Case-insensitive on the name."""
    found = None
    for line in (text or "").splitlines():
        head, sep, value = line.partition(":") if ":" in line else line.partition("=")
        if sep and head.strip().lower() == name.lower():
            found = value.strip()
    return found


def names(value: str | None) -> frozenset[str]:
    """`a, b c` -> {"a", "b", "c"}: the names a printed list holds (`none`/`-` = empty)."""
    words = (value or "").replace(",", " ").replace(";", " ").split()
    return frozenset(w.strip("[]'\"") for w in words if w.lower() not in ("none", "-", "[]"))
