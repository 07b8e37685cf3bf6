"""Named reports: plain `.sql` files, found by name in the user's folders and here.

A report file is ordinary DuckDB SQL with a few comment conventions:

    -- Pass@k per model and strategy.          <- leading comments: the description
    -- table: pass@k by functionality          <- starts a titled table
    -- chart: bar x=functionality y=pass_at_1 series=model
    SELECT ...;

Every statement becomes one table. `$run` in a statement is bound to `--run ID` (NULL
when none is given, so `WHERE $run IS NULL OR run_id = $run` means "all runs"), and `$a`
and `$b` to `--a X --b Y` (the two sides of `report compare`; NULL when not given).
A chart line (bar, line or scatter; x=, y=, optional series=, facet=, mark=, error=, logx,
logy, title=; see benchrun.reports.charts) asks the HTML output for a plot of the table. A CREATE statement (a temp macro or view that
later statements share) runs but shows no table.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import attrs
import duckdb

from benchrun.errors import BenchrunError
from benchrun.reports.render import fetch

# The built-in reports: the store's own, and those each workload keeps with its code.
REPORTS_ENV = "BENCHRUN_REPORTS"
_TABLE = re.compile(r"^--\s*table:\s*(.*)$", re.MULTILINE)
_CHART = re.compile(r"^--\s*chart:\s*(\w+)(.*)$", re.MULTILINE)
PARAMETERS = ("run", "a", "b")  # what a statement may name as $run, $a, $b
CHART_KINDS = ("bar", "line", "scatter")
CHART_KEYS = ("x", "y", "series", "facet", "mark", "error", "logx", "logy", "title", "plotly")  # plotly: every chart is, now


class ReportError(BenchrunError):
    pass


@attrs.frozen
class Statement:
    sql: str
    title: str | None = None
    chart: dict[str, Any] | None = None
    defines: bool = False  # CREATE (a temp macro or view later statements share): no table of its own


@attrs.frozen
class Report:
    name: str
    path: Path
    description: str
    statements: tuple[Statement, ...]


def report_dirs(extra: str | os.PathLike | None = None) -> list[Path]:
    """Where reports are looked up, first match wins: --dir, $BENCHRUN_REPORTS, built-in."""
    dirs = [Path(extra)] if extra else []
    dirs += [Path(p) for p in os.environ.get(REPORTS_ENV, "").split(os.pathsep) if p]
    return [*dirs, *built_in_dirs()]


def built_in_dirs() -> list[Path]:
    """Each block kind's own reports."""
    from benchrun.blocks import BLOCKS

    return [Path(block.reports) for block in BLOCKS if block.reports]


def list_reports(dirs: list[Path]) -> list[Report]:
    found: dict[str, Report] = {}
    for folder in dirs:
        for path in sorted(folder.glob("*.sql")) if folder.is_dir() else []:
            if path.name != "schema.sql" and path.stem not in found:
                found[path.stem] = parse_report(path)
    return sorted(found.values(), key=lambda r: r.name)


def find_report(name: str, dirs: list[Path]) -> Report:
    if name.endswith(".sql") and Path(name).is_file():
        return parse_report(Path(name))
    for folder in dirs:
        path = folder / f"{name}.sql"
        if path.is_file() and path.name != "schema.sql":
            return parse_report(path)
    known = ", ".join(r.name for r in list_reports(dirs)) or "none"
    raise ReportError(f"no report named {name!r} (known: {known}; looked in {', '.join(map(str, dirs))})")


def _chart(kind: str, rest: str, where: str) -> dict[str, Any]:
    """A chart line's options; `where` (file:line) names it in errors."""
    if kind not in CHART_KINDS:
        raise ReportError(f"{where}: unknown chart {kind!r}; use one of {', '.join(CHART_KINDS)}")
    chart: dict[str, Any] = {"kind": kind}
    for token in re.findall(r'(\w+)(?:=("[^"]*"|\S+))?', rest):
        key, value = token
        if key not in CHART_KEYS:
            raise ReportError(f"{where}: unknown chart option {key!r}; use {', '.join(CHART_KEYS)}")
        chart[key] = value.strip('"') if value else True
    if "x" not in chart or "y" not in chart:
        raise ReportError(f"{where}: a chart needs x= and y= columns")
    if "error" in chart and (not isinstance(chart["error"], str) or len(chart["error"].split(",")) != 2):
        raise ReportError(f"{where}: error= names two columns, the low and high ends: error=pass_at_low,pass_at_high")
    return chart


def parse_report(path: Path) -> Report:
    text = path.read_text()
    description = []
    for line in text.splitlines():
        if not line.startswith("--") or _TABLE.match(line) or _CHART.match(line):
            if line.strip():
                break
            continue
        description.append(line.lstrip("-").strip())
    cuts = [m.start() for m in _TABLE.finditer(text)]
    starts = [0, *cuts]
    sections = [text[a:b] for a, b in zip(starts, [*cuts, len(text)])]
    statements: list[Statement] = []
    for start, section in zip(starts, sections):
        title_match = _TABLE.match(section)
        chart_match = _CHART.search(section)
        chart_line = text.count("\n", 0, start + chart_match.start()) + 1 if chart_match else 0
        chart = _chart(chart_match.group(1), chart_match.group(2), f"{path}:{chart_line}") if chart_match else None
        try:
            queries = [(s.query, s.type == duckdb.StatementType.CREATE) for s in duckdb.extract_statements(section)]
        except duckdb.Error as err:
            raise ReportError(f"{path}: {err}") from None
        for i, (query, defines) in enumerate(queries):
            first = i == 0
            statements.append(
                Statement(
                    sql=query,
                    defines=defines,
                    title=title_match.group(1).strip() if first and title_match else None,
                    chart=chart if first else None,
                )
            )
    return Report(path.stem, path, " ".join(d for d in description if d).strip(), tuple(statements))


def parameters_of(statement: Statement) -> set[str]:
    """The PARAMETERS a statement names ($run, $a, $b)."""
    return {name for name in PARAMETERS if re.search(rf"\${name}\b", statement.sql)}


def run_report(con, report: Report, run_id: str | None = None,
               values: dict[str, str | None] | None = None) -> list[tuple[Statement, list[str], list[tuple]]]:
    """Execute every statement, binding $run to run_id and $a, $b to `values`; results of
    those that return rows. Raises ReportError for a value the report does not use."""
    given = {"run": run_id, **(values or {})}
    unused = sorted(name for name, value in given.items() if value is not None and name != "run"
                    and not any(name in parameters_of(s) for s in report.statements))
    if unused:
        raise ReportError(f"report {report.name} takes no --{unused[0]}: only a report naming ${unused[0]} does (compare)")
    results = []
    for statement in report.statements:
        params = {name: given.get(name) for name in parameters_of(statement)} or None
        try:
            columns, rows = fetch(con, statement.sql, params)
        except duckdb.Error as err:
            where = f" ({statement.title})" if statement.title else ""
            raise ReportError(f"report {report.name}{where}: {err}") from None
        if columns and not statement.defines:
            results.append((statement, columns, rows))
    return results
