"""The results file's rows as Arrow tables: what each table's columns are, and how rows
as the engine and workloads hand them over become those columns."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import attrs
import duckdb
import numpy as np
import pyarrow as pa

# A unit's metric rows as a workload logs them: (step, name, value).
MetricRows = list[tuple[int, str, float]]


def now() -> datetime:
    """Naive UTC, the way DuckDB's TIMESTAMP stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


# DuckDB column type -> the Arrow type rows are built with
ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "JSON": pa.string(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(),
    "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us"),
}


@attrs.frozen
class Column:
    name: str
    type: pa.DataType
    nullable: bool


def columns_of(con: duckdb.DuckDBPyConnection, table: str) -> tuple[Column, ...]:
    """A table's columns as the results file declares them (its schema is the one place
    they are written down)."""
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
    return tuple(Column(name, ARROW_TYPES[kind], nullable) for name, kind, nullable in rows)


# In the table's column order: rows are inserted by position.
COMPLETION_FIELDS: dict[str, pa.DataType] = {
    "key": pa.string(),
    "provider": pa.string(),
    "model": pa.string(),
    "text": pa.string(),
    "tokens_in": pa.int32(),
    "tokens_out": pa.int32(),
    "latency_s": pa.float64(),
    "finish_reason": pa.string(),
    "created": pa.timestamp("us"),
    "request_id": pa.string(),  # version 4
    "n_fallback": pa.string(),
}


# The columns of `prompts`, in order.
PROMPT_FIELDS: dict[str, pa.DataType] = {
    "prompt_hash": pa.string(),
    "messages": pa.string(),
    "tokens": pa.int32(),
    "created": pa.timestamp("us"),
}


def prompt_table(prompt_hash: str, messages: list[dict[str, str]], tokens: int | None) -> pa.Table:
    """One prompt as a row of `prompts`."""
    row = {"prompt_hash": prompt_hash, "messages": json.dumps(messages, ensure_ascii=False), "tokens": tokens, "created": now()}
    return pa.Table.from_arrays([pa.array([row[n]], kind) for n, kind in PROMPT_FIELDS.items()], names=list(PROMPT_FIELDS))


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def rows_table(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as a workload reports them -> a table's columns, in order. Fields the table
    has no column for are kept in its `extra` column as JSON; `created` defaults to now.
    Raises ValueError for a missing value of a NOT NULL column."""
    names = [c.name for c in columns]
    for row in rows:
        for column in columns:
            if not column.nullable and row.get(column.name) is None and column.name != "created":
                raise ValueError(f"a row needs a value for {column.name} ({column.type}), got none")
    values: dict[str, list[Any]] = {name: [row.get(name) for row in rows] for name in names}
    if "extra" in values:
        rests = [{k: v for k, v in row.items() if k not in values} for row in rows]
        values["extra"] = [_json(rest) if rest else None for rest in rests]
    if "created" in values:
        values["created"] = [value or now() for value in values["created"]]
    return pa.Table.from_arrays([pa.array(values[c.name], c.type) for c in columns], names=names)


# The columns of `sample_measures`, in order.
MEASURE_FIELDS: dict[str, pa.DataType] = {
    "run_id": pa.string(),
    "unit_id": pa.string(),
    "sample": pa.int32(),
    "name": pa.string(),
    "value": pa.float64(),
    "unit": pa.string(),
    "check_passed": pa.bool_(),
    "created": pa.timestamp("us"),
}


def measure_table(samples: list[dict[str, Any]]) -> pa.Table | None:
    """The `measures` of sample rows ([{"name", "value", "unit"}], with the sample's run_id,
    unit_id, sample and passed) as rows of `sample_measures`; None when there are none."""
    rows = [{"run_id": s["run_id"], "unit_id": s["unit_id"], "sample": s.get("sample"), "name": m["name"],
             "value": m["value"], "unit": m.get("unit") or "", "check_passed": bool(s.get("passed")),
             "created": s.get("created") or now()}
            for s in samples for m in s.get("measures") or ()]
    if not rows:
        return None
    return pa.Table.from_arrays([pa.array([r[n] for r in rows], kind) for n, kind in MEASURE_FIELDS.items()],
                                names=list(MEASURE_FIELDS))


def completion_table(rows: Iterable[dict[str, Any]]) -> pa.Table:
    rows = [{**r, "created": r.get("created") or now()} for r in rows]
    arrays = [pa.array([r.get(name) for r in rows], kind) for name, kind in COMPLETION_FIELDS.items()]
    return pa.Table.from_arrays(arrays, names=list(COMPLETION_FIELDS))


def unit_table(rows: list[dict[str, Any]]) -> pa.Table:
    names = ["run_id", "unit_id", "kind", "block", "params", "status", "attempts", "error", "finished", "summary"]
    kinds = [pa.string()] * 6 + [pa.int32(), pa.string(), pa.timestamp("us"), pa.string()]
    return pa.Table.from_arrays([pa.array([r[n] for r in rows], k) for n, k in zip(names, kinds)], names=names)


def metric_table(run_id: str, calls: list[tuple[str, float, MetricRows]]) -> pa.Table:
    """[(unit_id, wall_time, [(step, name, value), ...]), ...] -> the metrics columns."""
    lengths = np.fromiter((len(c[2]) for c in calls), dtype=np.int64, count=len(calls))
    # One list per column by comprehension: several times faster than zip(*rows).
    steps = [r[0] for c in calls for r in c[2]]
    names = [r[1] for c in calls for r in c[2]]
    values = [r[2] for c in calls for r in c[2]]
    # The fast path, then a value-by-value one: a stray type never fails a flush.
    step_array = _array(steps, pa.int64(), _whole)
    name_array = _array(names, pa.string(), lambda v: None if v is None else str(v))
    value_array = _array(values, pa.float64(), _number)
    times = (np.fromiter((c[1] for c in calls), dtype=np.float64, count=len(calls)) * 1e6).astype(np.int64)
    unit_index = np.repeat(np.arange(len(calls), dtype=np.int32), lengths)
    return pa.table(
        {
            # Dictionary arrays: a run and unit id repeated per row cost one int each.
            "run_id": pa.DictionaryArray.from_arrays(np.zeros(len(steps), dtype=np.int32), pa.array([run_id])),
            "unit_id": pa.DictionaryArray.from_arrays(unit_index, pa.array([c[0] for c in calls], pa.string())),
            "step": step_array,
            "name": name_array,
            "value": value_array,
            "wall_time": pa.array(np.repeat(times, lengths), pa.timestamp("us")),
        }
    )


def _array(values: list[Any], kind: pa.DataType, coerce: Callable[[Any], Any]) -> pa.Array:
    try:
        return pa.array(values, kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        return pa.array([coerce(v) for v in values], kind)


def _whole(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# The columns of `planned_units` after run_id (and of the `plan_units` view).
PLAN_FIELDS: dict[str, pa.DataType] = {
    "unit_id": pa.string(),
    "kind": pa.string(),
    "block": pa.string(),
    "task": pa.string(),
    "functionality": pa.string(),
    "model": pa.string(),
    "strategy": pa.string(),
    "sample": pa.int32(),
    "scores": pa.list_(pa.int32()),
    "params": pa.string(),
    "level": pa.string(),  # last: schema version 6 added the column
}


def plan_table(units: Iterable[Any], run_id: str | None = None) -> pa.Table:
    """Units (id, kind, block, labels, params) as rows of `planned_units`; without
    run_id, as the rows of the `plan_units` view."""
    units = list(units)
    columns: dict[str, list[Any]] = {name: [] for name in PLAN_FIELDS}
    for unit in units:
        labels = getattr(unit, "labels", {}) or {}
        columns["unit_id"].append(unit.id)
        columns["kind"].append(unit.kind)
        columns["block"].append(unit.block)
        for name in ("task", "functionality", "model", "strategy", "sample", "scores"):
            columns[name].append(labels.get(name))
        columns["params"].append(json.dumps(unit.params, sort_keys=True, default=str))
        columns["level"].append(labels.get("level"))
    arrays = [pa.array(columns[name], kind) for name, kind in PLAN_FIELDS.items()]
    names = list(PLAN_FIELDS)
    if run_id is not None:
        arrays.insert(0, pa.array([run_id] * len(units), pa.string()))
        names.insert(0, "run_id")
    return pa.Table.from_arrays(arrays, names=names)
