"""A `benchrun run` stand-in for subprocess tests: builds a plan of toy units directly
(no spec file needed) and runs it with the real run loop on a real DuckDB file.

    python runloop_driver.py DB UNITS [--steps N] [--sleep S] [--fail I,J] [--fresh]
Prints the run summary as JSON on stdout; exit code 0 finished, 130 interrupted, 1 failed.
"""
from __future__ import annotations

import argparse
import json
import sys

import attrs
from runloop_workload import KIND, ToyBlock, ToyWorkload

from benchrun.engine import Plan, Unit, run_plan
from benchrun.grammar.spec import Spec
from benchrun.storage import RunLockedError


def toy_plan(units: int, steps: int = 5, sleep: float = 0.0, fail: set[int] = frozenset()) -> Plan:
    spec = Spec(path="toy.bench", source="", content_hash="toy", blocks=(ToyBlock(),))
    made = [
        Unit.make(KIND, ToyBlock().name, {"index": i, "steps": steps, "sleep": sleep, "fail": i in fail})
        for i in range(units)
    ]
    return Plan(spec=spec, units=tuple(made))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("units", type=int)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--fail", default="")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--flush", type=float, default=0.2)
    parser.add_argument("--retry-delay", type=float, default=0.5)
    args = parser.parse_args()
    fail = {int(i) for i in args.fail.split(",") if i}
    plan = toy_plan(args.units, args.steps, args.sleep, fail)
    try:
        summary = run_plan(
            plan, args.db, fresh=args.fresh, concurrency=args.concurrency,
            workloads={KIND: ToyWorkload}, flush_interval=args.flush,
            writer_options={"retry_delay": args.retry_delay},
        )
    except RunLockedError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(attrs.asdict(summary)), flush=True)
    return {"finished": 0, "interrupted": 130}.get(summary.status, 1)


if __name__ == "__main__":
    sys.exit(main())
