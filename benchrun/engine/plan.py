"""From a validated spec to the list of work units.

A pure function of the spec (and of the files it names): no clock, no randomness that
is not seeded by the spec. Each block kind expands its own blocks (see benchrun.blocks);
the engine only collects them.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import Any

import attrs

from benchrun.blocks import BLOCKS
from benchrun.engine.units import Unit
from benchrun.grammar.spec import Spec


@attrs.frozen
class Plan:
    spec: Spec
    units: tuple[Unit, ...]

    def by_kind(self, kind: str) -> list[Unit]:
        return [u for u in self.units if u.kind == kind]


def build_plan(spec: Spec) -> Plan:
    units: list[Unit] = []
    base_dir = os.path.dirname(spec.path) if getattr(spec, "path", None) else None
    for block in spec.blocks:
        units.extend(BLOCKS.get(block.kind).units(block, base_dir))
    return Plan(spec=spec, units=tuple(units))


def summarize(plan: Plan) -> dict[str, Any]:
    """Counts for `benchrun plan`: units by kind, and per block what its kind reports."""
    blocks = [BLOCKS.get(block.kind).summary(block, [u for u in plan.units if u.block == block.name])
              for block in plan.spec.blocks]
    return {
        "spec": plan.spec.path,
        "units": len(plan.units),
        "by_kind": dict(Counter(u.kind for u in plan.units)),
        "blocks": blocks,
    }
