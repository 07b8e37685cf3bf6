"""Every extension point's registry, for listings and tests that walk them all."""
from __future__ import annotations

import importlib

from benchrun.registry import REGISTRIES, Registry

# The modules that declare a registry; importing one creates and records it.
MODULES = (
    "benchrun.blocks",
    "benchrun.models.providers",
    "benchrun.prompts.strategies",
    "benchrun.sandboxes.backends",
    "benchrun.tuning.metrics",
    "benchrun.tuning.algorithms",
    "benchrun.tuning.datasets",
    "benchrun.tuning.search",
    "benchrun.tuning.rules",
    "benchrun.tuning.executors",
    "benchrun.codegen.executors",
)


def load_all() -> dict[str, Registry]:
    for module in MODULES:
        importlib.import_module(module)
    return REGISTRIES
