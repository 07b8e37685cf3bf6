"""Query results as terminal tables, CSV or JSON."""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import IO, Any

from rich.table import Table


def fetch(con, sql: str, params: Any = None) -> tuple[list[str], list[tuple]]:
    """Run one statement; returns its column names and rows (none for DDL)."""
    cur = con.execute(sql, params) if params else con.execute(sql)
    if cur.description is None:
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


def finite_number(value: Any) -> float | None:
    """A cell as a finite float (what a chart can plot), or None."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:.4g}" if abs(value) < 1e5 else f"{value:.6g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def rich_table(columns: Sequence[str], rows: Sequence[tuple], title: str | None = None, limit: int | None = None) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    shown = rows if limit is None else rows[:limit]
    for i, name in enumerate(columns):
        numeric = bool(shown) and all(isinstance(r[i], (int, float)) for r in shown if r[i] is not None)
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for row in shown:
        table.add_row(*(cell(v) for v in row))
    if limit is not None and len(rows) > limit:
        table.caption = f"{limit} of {len(rows)} rows shown"
    return table


def write_csv(columns: Sequence[str], rows: Sequence[tuple], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value if isinstance(value, (int, float, str, bool, list, dict)) or value is None else str(value)


def write_json(columns: Sequence[str], rows: Sequence[tuple], out: IO[str]) -> None:
    json.dump([{c: _plain(v) for c, v in zip(columns, row)} for row in rows], out, indent=1)
    out.write("\n")
