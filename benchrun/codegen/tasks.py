"""Benchmark tasks: the folder format, the HumanEval reader's output, and how a sample runs.

A task folder (`tasks/<suite>/<name>/`) holds `task.toml`, `input/` (the program given to
the model), `reference/` (a solution), `check.py` (run after the program) and `docs.md`
(an API excerpt for DocPrompting and retrieval). `docs/tasks.md` describes the format.

Every sample of every task runs the same way (`codegen.judging`): the candidate program
replaces the entry file of `input/` and runs (`program_files`, `program_command`,
`RUN_ENV`); once it and all its processes are gone, the judge runs `check.py` over what
it left (`check_request`).
"""
from __future__ import annotations

import functools
import hashlib
import json
import secrets
import shlex
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from benchrun.errors import BenchrunError, did_you_mean

# What a task folder may declare; "humaneval" is the kind and functionality of JSONL tasks.
KINDS = ("inline", "translate")
FUNCTIONALITIES = (
    "experiment_tracking",
    "hyperparameter_optimisation",
    "model_registration",
    "model_optimisation",
    "translation",
    "serving",
    "monitoring",
    "data_validation",
    "pipelines",
)
# How much of the solution the prompt's instruction gives away (a benchmark block's
# `instructions`): "brief" says what must be observably true when the program has run,
# "detailed" also says how (the component's calls), as the study's own prompts did.
LEVELS = ("brief", "detailed")

# The environment of every sample, on top of the sandbox's own minimal one (which sets
# HOME to the work dir). Git refuses to commit without an identity; DVC would otherwise
# try to send usage analytics and check for updates over the (absent) network. MLflow
# (>= 3.7) refuses its file store (`./mlruns`, what tasks use) unless told it is wanted.
RUN_ENV: dict[str, str] = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "WANDB_SILENT": "true",
    "GIT_AUTHOR_NAME": "benchrun",
    "GIT_AUTHOR_EMAIL": "benchrun@localhost",
    "GIT_COMMITTER_NAME": "benchrun",
    "GIT_COMMITTER_EMAIL": "benchrun@localhost",
    "OMP_NUM_THREADS": "1",
    "DVC_NO_ANALYTICS": "1",
    "MLFLOW_ALLOW_FILE_STORE": "true",
}

# The helpers every check imports: a flat package (benchcheck/*.py), served whole to the judge.
BENCHCHECK = Path(__file__).with_name("benchcheck")
BENCHCHECK_FILES: tuple[Path, ...] = tuple(sorted(BENCHCHECK.glob("*.py")))


class TaskError(BenchrunError):
    """A task folder or task file that cannot be used: every problem found, each shown as
    `path: problem` on a line of its own."""

    def __init__(self, path: str | Path, *problems: str):
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))
        self.path = str(path)
        self.problems = problems


@attrs.frozen
class Task:
    id: str
    kind: str
    functionality: str
    components: tuple[str, ...]
    instruction: str  # the detailed level
    entry: str
    inputs: dict[str, str] = attrs.field(hash=False)  # file name -> text; the entry among them
    reference: dict[str, str] = attrs.field(hash=False)  # at least the entry
    checks: str  # the text of check.py
    docs: str = ""
    timeout: float | None = None
    path: str = ""  # the folder (or JSONL file) it was read from
    digest: str = ""  # sha256 of everything above that the task was built from
    # A harness that runs instead of the entry (HumanEval's call recorder); "" = the entry.
    harness: str = ""
    # Shell commands run as the sample after the program, in its dir (task.toml `after`):
    # the check reads their outcome (benchcheck.after_run) and never runs program code.
    after: tuple[str, ...] = ()
    # What only the harness may read (HumanEval's test), with the sample's key: HARNESS_SECRET.
    harness_secret: str = attrs.field(default="", repr=False)
    mutants: dict[str, dict[str, str]] = attrs.field(factory=dict, hash=False)  # name -> files
    alternatives: dict[str, dict[str, str]] = attrs.field(factory=dict, hash=False)
    brief: str = ""  # the brief level; "" for a task without one (HumanEval: its prompt is its only level)

    def at_level(self, level: str) -> Task:
        """The task as a prompt at this instruction level sees it: `instruction` is that
        level's text. A task with one text (HumanEval) is the same at every level."""
        if level not in LEVELS:
            raise TaskError(self.path, f"unknown instruction level {level!r}; levels: {', '.join(LEVELS)}")
        if level == "detailed" or (not self.brief and self.kind == "humaneval"):
            return self
        if not self.brief:
            raise TaskError(self.path, "has no brief instruction (task.toml: brief)")
        return attrs.evolve(self, instruction=self.brief)

    @property
    def program(self) -> str:
        """The unmodified input program (what the model is asked to change)."""
        return self.inputs[self.entry]

    @property
    def solution(self) -> str:
        """The reference solution of the entry file."""
        return self.reference[self.entry]


# ---------------------------------------------------------------- loading: task.toml, then the folder


class _Invalid(Exception):
    """What is wrong with one key's value, in words."""


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"must be a non-empty string (got {value!r})")
    return value


def _stripped(value: object) -> str:
    return _text(value).strip()


def _one_of(choices: tuple[str, ...]) -> Callable[[object], str]:
    def read(value: object) -> str:
        if _text(value) not in choices:
            raise _Invalid(f"must be one of {', '.join(choices)} (got {value!r}){did_you_mean(str(value), choices)}")
        return str(value)
    return read


def _names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(c, str) and c for c in value):
        raise _Invalid(f"must be a non-empty list of library names (got {value!r})")
    return tuple(value)


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _Invalid(f"must be a positive number of seconds (got {value!r})")
    return float(value)


def _commands(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value) \
            or len(set(value)) != len(value):
        raise _Invalid(f"must be a list of distinct, non-empty shell commands (got {value!r})")
    return tuple(value)


def _key(read: Callable[[object], Any], default: Any = attrs.NOTHING) -> Any:
    """A task.toml key: how its value is read and checked, and its default (none: required)."""
    return attrs.field(default=default, metadata={"read": read})


@attrs.frozen
class TaskConfig:
    """A task folder's task.toml, read and checked by `read_config`; one attribute per key
    (but `id`, which only restates the folder's id)."""

    kind: str = _key(_one_of(KINDS))
    functionality: str = _key(_one_of(FUNCTIONALITIES))
    components: tuple[str, ...] = _key(_names)  # translate: [from, to]
    entry: str = _key(_text)
    instruction: str = _key(_stripped)  # the detailed level
    brief: str = _key(_stripped, "")
    timeout: float | None = _key(_seconds, None)
    after: tuple[str, ...] = _key(_commands, ())


# Every key a task.toml may hold.
TOML_KEYS = ("id", *(field.name for field in attrs.fields(TaskConfig)))


def read_config(path: Path, task_id: str) -> TaskConfig:
    """Read and check the task.toml at `path` of the task `task_id`. Raises one TaskError
    naming every problem, each as `key: what is wrong`."""
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TaskError(path, f"invalid TOML: {error}") from None
    problems = [f"{key}: unknown key{did_you_mean(key, TOML_KEYS)}; allowed: {', '.join(sorted(TOML_KEYS))}"
                for key in sorted(set(meta) - set(TOML_KEYS))]
    if "id" in meta and meta["id"] != task_id:
        problems.append(f"id: {meta['id']!r} does not match the folder ({task_id!r}); leave it out")
    values: dict[str, Any] = {}  # each read by its key's reader
    for field in attrs.fields(TaskConfig):
        if field.name not in meta:
            if field.default is attrs.NOTHING:
                problems.append(f"{field.name}: missing (a required key)")
            continue
        try:
            values[field.name] = field.metadata["read"](meta[field.name])
        except _Invalid as error:
            problems.append(f"{field.name}: {error}")
    problems += _across_keys(values)
    if problems:
        raise TaskError(path, *problems)
    return TaskConfig(**values)


def _across_keys(values: dict[str, Any]) -> list[str]:
    """The rules that tie keys together, for the keys that are valid on their own."""
    kind, functionality, components = values.get("kind"), values.get("functionality"), values.get("components")
    problems = []
    if kind is not None and functionality is not None and (kind == "translate") != (functionality == "translation"):
        problems.append(f"kind: translate goes with functionality translation, and only with it "
                        f"(got kind {kind!r}, functionality {functionality!r})")
    if kind == "translate" and isinstance(components, tuple) and len(components) != 2:
        problems.append(f"components: a translate task names two components: [from, to] (got {list(components)!r})")
    return problems


def load_task(folder: str | Path) -> Task:
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise TaskError(folder, "not a task folder (no such directory)")
    toml_path = folder / "task.toml"
    if not toml_path.is_file():
        raise TaskError(folder, "missing task.toml")
    task_id = f"{folder.parent.name}/{folder.name}"
    config = read_config(toml_path, task_id)
    entry = config.entry
    inputs = _read_tree(folder / "input")
    if entry not in inputs:
        raise TaskError(folder / "input", f"missing the entry file {entry!r}")
    reference = _read_tree(folder / "reference")
    if entry not in reference:
        raise TaskError(folder / "reference", f"missing the entry file {entry!r}")
    check_path = folder / "check.py"
    if not check_path.is_file():
        raise TaskError(folder, "missing check.py")
    docs_path = folder / "docs.md"
    variants = {kind: {p.name: _read_tree(p) for p in sorted((folder / kind).iterdir()) if p.is_dir()}
                for kind in ("mutants", "alternatives") if (folder / kind).is_dir()}

    return Task(
        id=task_id,
        kind=config.kind,
        functionality=config.functionality,
        components=config.components,
        instruction=config.instruction,
        entry=entry,
        inputs=inputs,
        reference=reference,
        checks=_read_text(check_path),
        docs=_read_text(docs_path) if docs_path.is_file() else "",
        timeout=config.timeout,
        after=config.after,
        path=str(folder),
        digest=folder_digest(folder),
        mutants=variants.get("mutants", {}),
        alternatives=variants.get("alternatives", {}),
        brief=config.brief,
    )


def _ignored(path: Path) -> bool:
    return "__pycache__" in path.parts or path.suffix == ".pyc"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TaskError(path, "not UTF-8 text") from None


def _read_tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        raise TaskError(folder, "missing folder")
    return {
        p.relative_to(folder).as_posix(): _read_text(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not _ignored(p.relative_to(folder))
    }


# Programs that only validate the task (`benchrun tasks validate`): they decide no sample.
VALIDATION_ONLY = ("mutants", "alternatives")


def folder_digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes, in sorted order (but the
    validation-only programs)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if _ignored(relative) or relative.parts[0] in VALIDATION_ONLY:
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def find_task_folders(path: str | Path) -> list[Path]:
    """`path` itself if it is a task folder, else every task folder below it, sorted."""
    path = Path(path)
    if (path / "task.toml").is_file():
        return [path]
    if not path.is_dir():
        raise TaskError(path, "no such folder")
    found = sorted(p.parent for p in path.rglob("task.toml") if not _ignored(p))
    if not found:
        raise TaskError(path, "no task folders (folders with a task.toml) here")
    return found


# ---------------------------------------------------------------- how a sample runs

HARNESS = ".benchrun-harness.py"
HARNESS_SECRET = ".benchrun-harness-secret.json"


def program_files(task: Task, program: str | dict[str, str], key: str = "") -> dict[str, bytes]:
    """The work dir of one sample: the inputs with the entry replaced by `program` (or,
    for a reference, an alternative or a mutant, every file of its folder over them).
    A harness also gets HARNESS_SECRET: `key`, the sample's secret it shares with the judge
    alone (a fresh one per sample: `harness_key`), and the task's `harness_secret`."""
    changed = program if isinstance(program, dict) else {task.entry: program}
    files = {name: text.encode() for name, text in {**task.inputs, **changed}.items()}
    if task.harness:
        files[HARNESS] = task.harness.encode()
        files[HARNESS_SECRET] = json.dumps({"key": key, "test": task.harness_secret}).encode()
    return files


def harness_key(task: Task) -> str:
    """A fresh secret for one sample of a harness task ("" for others): the harness prints
    its records under it, and the judge accepts records only under it."""
    return secrets.token_hex(16) if task.harness else ""


def continued_prompt(task: Task) -> str:
    """The text a candidate may continue rather than replace: HumanEval's prompt, as the
    original harness runs prompt + completion (an indented body); "" for other tasks."""
    return task.program if task.kind == "humaneval" else ""


def syntax_error(task: Task, code: str) -> str | None:
    """Why the candidate `code` cannot run ("SyntaxError: ..."), or None. It may run as
    itself or, where the task has a prompt to continue, as the prompt + it (HumanEval's
    recorder imports the first of these that defines the entry point)."""
    prompt = continued_prompt(task)
    reason = None
    for form in (code, prompt + code) if prompt else (code,):
        try:
            compile(form, task.entry, "exec")
            return None
        except (SyntaxError, ValueError) as error:
            reason = f"{type(error).__name__}: {error}"
    return reason


def program_command(task: Task) -> list[str]:
    """Run the program (or the task's harness): its output and exit code go to the judge."""
    return _shell(f"exec python3 {shlex.quote(HARNESS if task.harness else task.entry)}")


# Programs an `after` command may run whose source the program cannot have touched: each is
# handed to the command in a shell variable of its name (not exported, so no process the
# command starts inherits it), never as a file of the work dir. A serving task's command
# runs `python3 -I -c "$BENCHRUN_HTTP_CLIENT" ...` (benchcheck/serving.py says what it does).
AFTER_TOOLS: dict[str, Path] = {"BENCHRUN_HTTP_CLIENT": BENCHCHECK / "serving.py"}


def after_commands(task: Task) -> list[list[str]]:
    """The task's `after` commands, each run as the sample after the program, as it is run."""
    return [_shell(_with_tools(command)) for command in task.after]


def _with_tools(command: str) -> str:
    tools = [f"{name}={shlex.quote(path.read_text(encoding='utf-8'))}" for name, path in AFTER_TOOLS.items()
             if f"${name}" in command or f"${{{name}}}" in command]
    return "\n".join([*tools, command])


def _shell(command: str) -> list[str]:
    # DVC writes a site cache (default /var/tmp/dvc) on every repo open: keep it in the
    # writable work dir, as the sandbox's root file system is read-only.
    return ["sh", "-c", f'export DVC_SITE_CACHE_DIR="${{DVC_SITE_CACHE_DIR:-$HOME/.cache/dvc}}"; {command}']


@functools.cache
def _benchcheck_sources() -> tuple[tuple[str, str], ...]:
    """Read once per process: every sample's judge gets them."""
    return tuple((_module_name(path), path.read_text(encoding="utf-8")) for path in BENCHCHECK_FILES)


def _module_name(path: Path) -> str:
    return "benchcheck" if path.name == "__init__.py" else f"benchcheck.{path.stem}"


def benchcheck_modules() -> dict[str, str]:
    """The benchcheck package as the judge serves it: {module name: source}, "benchcheck"
    being its __init__ and "benchcheck.judge" and the others its modules."""
    return dict(_benchcheck_sources())


def check_request(task: Task, original: dict | None, key: str = "") -> dict:
    """What the judge gets besides the program's own run: check.py, benchcheck, the task's
    pristine input files, the unmodified program's recorded run (rc, stdout, stderr) and
    the sample's harness key."""
    return {
        "check": task.checks,
        "modules": benchcheck_modules(),
        "original": dict(task.inputs),
        "context": {"entry": task.entry, "original": original, "after": list(task.after),
                    **({"harness_key": key} if key else {})},
    }
