"""How much of a task's solution its instruction gives away.

The API names a reference solution adds over its input program (the functions, methods
and classes it newly calls or imports, and the attributes it reads off an imported
module, such as `create_study`, `suggest_int`, `log_model`, `MlflowClient`) are what a
model must know or look up to adapt the program. An instruction leaks a name when it
writes it as code: inside backticks, as a call `name(`, as an attribute `.name`, or
anywhere when the name is code-shaped (`log_model`, `TPESampler`: an underscore or an
inner capital, which prose does not have). A command-line tool's subcommand that the
reference runs ("dvc add", "dvc repro") is an API name too. Naming the component (MLflow, DVC) is not a
leak: imported module names are not API names here.
"""
from __future__ import annotations

import ast
import builtins
import re

import attrs

from benchrun.codegen.tasks import LEVELS, Task

BRIEF_LIMIT = 0.25  # a brief instruction may name at most this share of the added API names

_BUILTINS = frozenset(dir(builtins))
# Command-line tools whose subcommands a program may call instead of the Python API:
# `["dvc", "add", ...]`, "dvc repro" or a wrapper's `dvc("add", ...)` adds the name
# "dvc add" / "dvc repro".
CLI_TOOLS = ("dvc", "mlflow", "wandb", "optuna")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BACKTICKED = re.compile(r"`([^`]*)`")


@attrs.frozen
class Leak:
    task: str
    level: str
    added: frozenset[str]  # API names the reference adds over the input
    named: frozenset[str]  # those the instruction writes as code

    @property
    def share(self) -> float:
        return len(self.named) / len(self.added) if self.added else 0.0

    @property
    def too_much(self) -> bool:
        return self.level == "brief" and self.share > BRIEF_LIMIT


def task_leaks(task: Task) -> list[Leak]:
    """One Leak per instruction level the task has. Parses Python: call from one thread
    (ast.parse from several threads at once can fail on Python 3.11.7)."""
    added = frozenset(api_names(task.reference) - api_names(task.inputs))
    texts = {"detailed": task.instruction, "brief": task.brief}
    return [Leak(task.id, level, added, frozenset(named_as_code(texts[level], added)))
            for level in LEVELS if texts[level]]


def api_names(files: dict[str, str]) -> set[str]:
    """Called, imported and module-attribute names over a program's Python files, less
    builtins, imported module names and names the program defines itself."""
    trees = []
    for name, text in files.items():
        try:
            trees.append(ast.parse(text) if name.endswith(".py") else None)
        except SyntaxError:
            continue
    nodes = [node for tree in trees if tree is not None for node in ast.walk(tree)]
    modules: set[str] = set()
    called: set[str] = set()
    for node in nodes:  # imports first: a module attribute is known by its module's name
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules.update(alias.name.split("."))
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom):
            modules.update((node.module or "").split("."))
            called.update(alias.name for alias in node.names)
            modules.update(alias.asname for alias in node.names if alias.asname)
    defined = {node.name for node in nodes if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for node in nodes:
        called.update(_cli_commands(node))
        if isinstance(node, ast.Call):
            called.add(_last_name(node.func))
        elif isinstance(node, ast.Attribute):
            called.update(_module_attributes(node, modules))
    return {n for n in called if n} - _BUILTINS - modules - defined


def _cli_commands(node: ast.AST) -> list[str]:
    words: list[str] = []
    if isinstance(node, (ast.List, ast.Tuple)):
        words = [e.value for e in node.elts[:2] if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = node.value.split()[:2]
    elif isinstance(node, ast.Call) and _last_name(node.func) in CLI_TOOLS and node.args:  # a wrapper: dvc("add", ...)
        first = node.args[0]
        words = [_last_name(node.func), first.value] if isinstance(first, ast.Constant) and isinstance(first.value, str) else []
    if len(words) == 2 and words[0] in CLI_TOOLS and re.fullmatch(r"[a-z][a-z-]*", words[1]):
        return [" ".join(words)]
    return []


def _last_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _module_attributes(node: ast.Attribute, modules: set[str]) -> list[str]:
    """`optuna.samplers.TPESampler` -> samplers, TPESampler (a chain rooted at an imported module)."""
    chain = []
    link: ast.expr = node
    while isinstance(link, ast.Attribute):
        chain.append(link.attr)
        link = link.value
    return chain if isinstance(link, ast.Name) and link.id in modules else []


def named_as_code(text: str, names: frozenset[str] | set[str]) -> set[str]:
    """The names `text` writes as code (see the module's docstring); a tool's subcommand
    ("dvc add") is code wherever it is written."""
    in_backticks = {token for span in _BACKTICKED.findall(text) for token in _IDENTIFIER.findall(span)}
    named = set()
    for name in names:
        word = re.escape(name)
        if " " in name:  # a tool's subcommand: code however it is written
            if re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", text):
                named.add(name)
        elif (name in in_backticks or re.search(rf"(?<!\w){word}\(", text)
                or re.search(rf"\.{word}\b", text)
                or (_code_shaped(name) and re.search(rf"(?<!\w){word}(?!\w)", text))):
            named.add(name)
    return named


def _code_shaped(name: str) -> bool:
    """log_model, TPESampler, MlflowClient: not how an English word is written."""
    return "_" in name.strip("_") or bool(re.search(r"[a-z][A-Z]|[A-Z]{2}[a-z]|^[A-Z][a-z]+[A-Z]", name))


@attrs.frozen
class CorpusLeak:
    level: str
    added: int
    named: int

    @property
    def share(self) -> float:
        return self.named / self.added if self.added else 0.0


def corpus_leaks(leaks: list[Leak]) -> list[CorpusLeak]:
    """The whole corpus's share per level: names written as code over names added, pooled."""
    out = []
    for level in LEVELS:
        of_level = [leak for leak in leaks if leak.level == level]
        if of_level:
            out.append(CorpusLeak(level, sum(len(x.added) for x in of_level), sum(len(x.named) for x in of_level)))
    return out
