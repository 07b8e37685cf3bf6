"""Plans in the results file: which units a run planned, and choosing the plan a query
answers for.

Every view answers for one plan, the set of units of `plan_units`: by default the plan
of the newest run that recorded one; `SET VARIABLE plan_run = 'r-...'` picks a run's
plan, and `use_spec_plan` makes it a spec's plan as the spec stands now (a temporary
view over the units computed from the spec, shadowing the file's `plan_units`). A
unit's samples count for every plan that contains its id, because the id hashes
everything that decides them; samples of other ids (an earlier version of the spec)
stay in the tables but in no figure of this plan.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from benchrun.storage.store import StoreError, scalar
from benchrun.storage.tables import plan_table


def use_run_plan(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Make the views of this connection answer for the plan of run `run_id`."""
    found = scalar(con, "SELECT count(*) FROM planned_units WHERE run_id = ?", [run_id])
    if not found:
        known = scalar(con, "SELECT count(*) FROM runs WHERE run_id = ?", [run_id])
        raise StoreError(
            f"run {run_id!r} recorded no plan (a run of an older benchrun: run its spec again, which "
            "re-runs nothing already done)" if known else f"no run {run_id!r} in this file (see `benchrun runs`)"
        )
    con.execute("SET VARIABLE plan_run = ?", [run_id])


def use_spec_plan(con: duckdb.DuckDBPyConnection, units: Iterable[Any]) -> None:
    """Make the views of this connection answer for these units (a spec's plan now)."""
    con.register("benchrun_spec_plan", plan_table(units))
    con.execute("CREATE OR REPLACE TEMP VIEW plan_units AS SELECT * FROM benchrun_spec_plan")
