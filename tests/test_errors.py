"""Every error a user can meet has one root, BenchrunError: `except BenchrunError` catches
them all, and the CLI turns each into its message."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import benchrun
from benchrun.errors import BenchrunError

# Signals between benchrun's own functions, never shown to a user as they are.
INTERNAL = {
    "benchrun.grammar.parser._TooDeep",  # becomes a SpecError with the nesting's location
    "benchrun.grammar.values.Invalid",  # one mistake; a file's mistakes become one SpecError
    "benchrun.models.retry.Transient",  # "try again"; the last one becomes a ModelError
    "benchrun.codegen.failures.SampleFailed",  # a step of a sample's life; becomes the unit's outcome
    "benchrun.codegen.tasks._Invalid",  # one task.toml key; a file's problems become one TaskError
    "benchrun.sandboxes.docker.container.ContainerRefused",  # becomes the slot's error, reported on its sample
}
# Run inside the sandbox, not in benchrun's process: they use the standard library only.
SANDBOX_SIDE = ("benchrun.codegen.benchcheck", "benchrun.sandboxes.judge_runner")


def exception_classes():
    for info in pkgutil.walk_packages(benchrun.__path__, "benchrun."):
        if info.name.startswith(SANDBOX_SIDE) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == info.name:
                yield f"{info.name}.{name}", value


def test_every_benchrun_error_has_the_one_root():
    found = dict(exception_classes())
    assert len(found) > 15 and INTERNAL <= set(found)
    strays = sorted(name for name, cls in found.items() if name not in INTERNAL and not issubclass(cls, BenchrunError))
    assert not strays, f"not under BenchrunError: {strays}"
