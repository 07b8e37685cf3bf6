"""Block kinds: what a `.bench` block keyword (`benchmark`, `tune`) means, end to end.

A workload owns its block kind: how the block is checked, the top-level definitions it
introduces (`model NAME = ...`), how it expands into work units, which workloads run
those units, and how `benchrun plan` and `benchrun run` describe it. The grammar and the
engine know only this interface, so a new block kind is one package with one entry
(or a plugin, through the entry-point group `benchrun.blocks`).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from benchrun.registry import Entry, Registry


@attrs.frozen(kw_only=True)
class Definition:
    """A top-level `KIND NAME = value` definition a block kind introduces.

    `check(ctx, value, name)` -> the checked value or None (after reporting);
    `builtins`: names that may not be redefined (bare built-ins such as `oracle`);
    `used_as`: how a block's `use` statement names it in messages ("models")."""

    kind: str
    check: Callable[[Any, Any, str | None], Any]
    builtins: Callable[[], tuple[str, ...]] = tuple
    used_as: str = ""


@attrs.frozen(kw_only=True)
class BlockKind(Entry):
    """`check(ctx, block)`: the block's validated spec (an attrs value with `name` and
    `kind`), or None after reporting every mistake to `ctx`.
    `units(block_spec, base_dir)`: its work units, a pure function of the spec.
    `workloads`: unit kind -> "module:Class" of the workload that runs it (a
    `benchrun.engine.Workload`: `run_block(block, units, ctx, report)`), in run order within a block.
    `summary(block_spec, units)`: counts for `benchrun plan` (JSON-able, with "kind" and
    "name"); `show(summary, console)` prints them.
    `results_hint(spec_path, db_flag)`: the command that shows a finished run's results.
    `reports`: the folder of its named SQL reports (`benchrun report NAME`).
    `tables`: a SQL file of its own tables (`CREATE TABLE IF NOT EXISTS`), made whenever
    a results file is opened, before the views.
    `views`: a SQL file of its views, re-created whenever a results file is opened.
    `estimate(block_spec, units, progress)`: optional, what running the block would cost,
    measured by a short calibration (`benchrun plan --estimate`; JSON-able), shown by `show`
    under the summary's "estimate" key."""

    check: Callable[[Any, Any], Any]
    units: Callable[[Any, str | None], list]
    workloads: dict[str, str]
    summary: Callable[[Any, list], dict]
    show: Callable[[dict, Any], None]
    results_hint: Callable[[str, str], str]
    definitions: tuple[Definition, ...] = ()
    reports: str | None = None
    tables: str | None = None
    views: str | None = None
    estimate: Callable[[Any, list, Callable[[str], None]], dict] | None = None


BLOCKS: Registry[BlockKind] = Registry("blocks", "block", BlockKind, {
    "benchmark": "benchrun.codegen.block:BENCHMARK",
    "tune": "benchrun.tuning.block:TUNE",
})


def definitions() -> dict[str, Definition]:
    """Every definition kind the block kinds introduce, by kind."""
    return {d.kind: d for block in BLOCKS for d in block.definitions}


def workloads() -> dict[str, str]:
    """unit kind -> workload target, over every block kind, in run order."""
    return {kind: target for block in BLOCKS for kind, target in block.workloads.items()}


def sql_files() -> list[str]:
    """The tables SQL, then the views SQL, of every block kind, in registry order."""
    return [*(block.tables for block in BLOCKS if block.tables), *(block.views for block in BLOCKS if block.views)]
