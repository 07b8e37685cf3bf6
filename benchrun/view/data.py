"""What the pages show, read from the results file.

Each request opens the file read-only for as long as its queries take (see
`benchrun.storage.store.connect`), so the view works while a run writes to it. The views
answer for one plan: a spec's units as the spec stands (`units`), a run's (`run_id`), or
else the newest run's, as in `benchrun sql` and `benchrun report`.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb

from benchrun.reports.named import ReportError, Statement, built_in_dirs, find_report, run_report
from benchrun.storage.plans import use_run_plan, use_spec_plan
from benchrun.storage.store import connect

# The filters of the samples list: query parameter -> column of current_samples.
SAMPLE_FILTERS = ("block", "task", "model", "strategy", "level", "failure")
# A step's wall time and its CPU time side by side: under load the first stretches, the second does not.
CURVES = ("train_loss", "val_loss", "step_time_ms", "cpu_step_ms", "cpu_pct", "memory_mb")
SAMPLES_LIMIT = 2000


class Results:
    """The results file and the plan its pages answer for."""

    def __init__(self, db: str, *, units: Sequence[Any] | None = None, run_id: str | None = None):
        self.db = db
        self.units = units
        self.run_id = run_id

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(self.db, read_only=True) as con:
            if self.run_id:
                use_run_plan(con, self.run_id)
            elif self.units is not None:
                use_spec_plan(con, self.units)
            yield con


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The result as dicts; [] when a view is missing (a file no block of that kind wrote)."""
    try:
        cursor = con.execute(sql, list(params))
    except duckdb.CatalogException:
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# ---------------------------------------------------------------- overview

RUNS = """
SELECT run_id, status, started, finished, units_planned, units_skipped, spec_path
FROM runs ORDER BY started DESC LIMIT 5
"""
PROGRESS = """
SELECT p.block, p.kind, count(*) AS planned, count(r.unit_id) AS done
FROM plan_units p LEFT JOIN unit_results r USING (unit_id)
GROUP BY ALL ORDER BY p.block
"""
PASS_AT_K = """
SELECT block, functionality, model, strategy, level, k, tasks, tasks_complete, complete, planned, n, pass_at,
       pass_at_low, pass_at_high
FROM pass_at_k_by_functionality ORDER BY block, functionality, model, strategy, level, k
"""
COSTS = """
SELECT block, model, strategy, level, count(*) AS samples, count(*) FILTER (passed) AS passed,
       sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out, sum(cost_usd) AS cost_usd,
       avg(latency_s) AS mean_latency_s
FROM current_samples GROUP BY ALL ORDER BY ALL
"""
TUNE_BLOCKS = """
SELECT t.block, any_value(t.metric) AS metric, coalesce(any_value(u.params ->> 'mode'), 'min') AS mode,
       count(*) AS trials, count(*) FILTER (t.stopped_early) AS stopped,
       min(t.best_value) AS low, max(t.best_value) AS high
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
GROUP BY t.block ORDER BY t.block
"""


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    cells: dict[tuple, dict[str, Any]] = {}
    ks: dict[str, list[int]] = {}
    for row in rows(con, PASS_AT_K):
        key = (row["block"], row["functionality"], row["model"], row["strategy"], row["level"])
        cell = cells.setdefault(key, {"block": key[0], "functionality": key[1], "model": key[2], "strategy": key[3],
                                      "level": key[4], "tasks": row["tasks"], "tasks_complete": row["tasks_complete"],
                                      "planned": row["planned"], "n": row["n"], "complete": row["complete"],
                                      "pass": {}, "interval": {}})
        cell["pass"][row["k"]] = row["pass_at"]
        # the 95 % interval (clustered by task), None with fewer than 2 tasks or incomplete
        cell["interval"][row["k"]] = (row["pass_at_low"], row["pass_at_high"]) if row["pass_at_low"] is not None else None
        block_ks = ks.setdefault(row["block"], [])
        if row["k"] not in block_ks:
            block_ks.append(row["k"])
    benchmarks = [{"block": block, "ks": sorted(block_ks), "cells": [c for c in cells.values() if c["block"] == block]}
                  for block, block_ks in ks.items()]
    tunes = rows(con, TUNE_BLOCKS)
    for block in tunes:
        block["best"] = block["high"] if block["mode"] == "max" else block["low"]
    return {"runs": rows(con, RUNS), "progress": rows(con, PROGRESS), "benchmarks": benchmarks,
            "costs": rows(con, COSTS), "tunes": tunes}


# ---------------------------------------------------------------- samples

SAMPLE_LIST = """
SELECT unit_id, block, task, functionality, model, strategy, level, sample, passed, failure,
       tokens_in, tokens_out, cost_usd, latency_s, duration_s
FROM current_samples WHERE {where}
ORDER BY block, task, model, strategy, level, sample LIMIT {limit}
"""


def samples(con: duckdb.DuckDBPyConnection, filters: dict[str, str]) -> dict[str, Any]:
    """The samples of the plan matching `filters` (SAMPLE_FILTERS and `passed`: true/false)."""
    where: list[str] = ["true"]
    params: list[str | bool] = []
    for name in SAMPLE_FILTERS:
        if filters.get(name):
            where.append(f"{name} = ?")
            params.append(filters[name])
    if filters.get("passed") in ("true", "false"):
        where.append("passed = ?")
        params.append(filters["passed"] == "true")
    found = rows(con, SAMPLE_LIST.format(where=" AND ".join(where), limit=SAMPLES_LIMIT + 1), params)
    choices = {}
    for name in SAMPLE_FILTERS:
        values = rows(con, f"SELECT DISTINCT {name} AS v FROM current_samples WHERE {name} IS NOT NULL ORDER BY 1")
        choices[name] = [row["v"] for row in values]
    return {"samples": found[:SAMPLES_LIMIT], "truncated": len(found) > SAMPLES_LIMIT, "choices": choices}


SAMPLE_CURRENT = "SELECT *, true AS current FROM current_samples WHERE unit_id = ? LIMIT 1"
SAMPLE_ANY = "SELECT *, false AS current FROM samples WHERE unit_id = ? ORDER BY created DESC LIMIT 1"
UNIT = "SELECT status, error, attempts, finished, params FROM units WHERE run_id = ? AND unit_id = ?"
PROMPT = "SELECT messages, tokens FROM prompts WHERE prompt_hash = ?"  # a file older than schema version 5 has none
MEASURES = """
SELECT name, value, unit, check_passed FROM sample_measures
WHERE run_id = ? AND unit_id = ? AND sample IS NOT DISTINCT FROM ? ORDER BY name
"""


def sample(con: duckdb.DuckDBPyConnection, unit_id: str) -> dict[str, Any] | None:
    """One sample: the plan's outcome of `unit_id`, else its newest in the file; None if none."""
    found = rows(con, SAMPLE_CURRENT, [unit_id]) or rows(con, SAMPLE_ANY, [unit_id])
    if not found:
        return None
    row = found[0]
    row.setdefault("level", None)  # a sample outside the plan: `samples` has no level (its plan had it)
    unit = rows(con, UNIT, [row["run_id"], unit_id])
    row["unit"] = unit[0] if unit else {}
    row["params"] = json.loads(row["unit"].get("params") or "{}")
    prompt = rows(con, PROMPT, [row["prompt_hash"]]) if row.get("prompt_hash") else []
    row["prompt"] = {"messages": json.loads(prompt[0]["messages"]), "tokens": prompt[0]["tokens"]} if prompt else None
    row["measures"] = rows(con, MEASURES, [row["run_id"], unit_id, row.get("sample")])
    return row


# ---------------------------------------------------------------- trials

TRIALS = """
SELECT t.*, coalesce(u.params ->> 'mode', 'min') AS mode
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id)
WHERE ? IS NULL OR t.block = ?
ORDER BY t.block, t.best_value
"""
TRIAL = """
SELECT t.*, coalesce(u.params ->> 'mode', 'min') AS mode
FROM trial_summary t JOIN unit_results u USING (run_id, unit_id) WHERE t.unit_id = ?
"""
METRICS = "SELECT name, step, value FROM metrics WHERE run_id = ? AND unit_id = ? ORDER BY name, step"


def _with_config(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in found:
        config = row.get("config")
        row["config"] = json.loads(config) if isinstance(config, str) else (config or {})
    return found


def trials(con: duckdb.DuckDBPyConnection, block: str | None = None) -> list[dict[str, Any]]:
    return _with_config(rows(con, TRIALS, [block, block]))


def trial(con: duckdb.DuckDBPyConnection, unit_id: str) -> dict[str, Any] | None:
    """One trial of the plan with its metrics by name ({name: [(step, value)]}), and its block's trials."""
    found = _with_config(rows(con, TRIAL, [unit_id]))
    if not found:
        return None
    row = found[0]
    series: dict[str, list[tuple[int, float]]] = {}
    for metric in rows(con, METRICS, [row["run_id"], unit_id]):
        series.setdefault(metric["name"], []).append((metric["step"], metric["value"]))
    row["metrics"] = series
    row["block_trials"] = trials(con, row["block"])
    return row


# ---------------------------------------------------------------- search methods compared

# The statements of `benchrun report search` the trials page shows, by title: the view
# draws what the report does, from the same SQL and chart line.
SEARCH_TABLE = "search methods on the same problem"
SEARCH_CURVE = "best feasible objective after n trials"
PROBLEM = ("dataset", "algorithm")
SEARCH_COLUMNS = ("block", "method", "metric", "mode", "trials", "best_feasible", "reference", "trials_to_reach",
                  "cpu_s_to_reach", "cpu_s", "broke_constraint", "invalid_proposals")


def search_comparison(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per problem (data set and algorithm) that several tune blocks search: the report's
    comparison table and its best-feasible-objective curve (`chart`: the statement's chart
    line, `columns`, `rows`), or the `error` that kept the report from running. [] when no
    problem is searched by more than one block."""
    blocks = rows(con, "SELECT dataset, algorithm FROM search_curve GROUP BY ALL HAVING count(DISTINCT block) > 1 ORDER BY ALL")
    if not blocks:
        return []
    try:  # a file an older benchrun wrote may lack a table the report reads
        results = {statement.title: (statement, columns, found)
                   for statement, columns, found in run_report(con, find_report("search", built_in_dirs()))}
    except ReportError as error:
        return [{"problem": problem, "error": str(error)} for problem in blocks]
    table, curve = results[SEARCH_TABLE], results[SEARCH_CURVE]
    problems = []
    for problem in blocks:
        key = tuple(problem[c] for c in PROBLEM)
        problems.append({"problem": problem, "chart": curve[0].chart,
                         "table": _of_problem(table, key, SEARCH_COLUMNS), "curve": _of_problem(curve, key)})
    return problems


def _of_problem(result: tuple[Statement, list[str], list[tuple]], key: tuple,
                keep: Sequence[str] | None = None) -> dict[str, Any]:
    """The result's rows of one problem, with the columns `keep` (default all)."""
    _, columns, found = result
    at = [columns.index(c) for c in PROBLEM]
    kept = [columns.index(c) for c in keep or columns if c in columns]
    return {"columns": [columns[i] for i in kept],
            "rows": [tuple(row[i] for i in kept) for row in found if tuple(row[i] for i in at) == key]}
