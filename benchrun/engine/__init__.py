"""The engine: plans of work units, the run loop, and the executors workloads use. It
knows block kinds only through benchrun.blocks."""
from benchrun.engine.executors import failure, run_pool
from benchrun.engine.plan import Plan, build_plan
from benchrun.engine.run import RunError, RunSummary, run_plan
from benchrun.engine.units import Report, RunContext, Unit, UnitOutcome, UnitStatus, Workload

__all__ = [
    "Plan",
    "Report",
    "RunContext",
    "RunError",
    "RunSummary",
    "Unit",
    "UnitOutcome",
    "UnitStatus",
    "Workload",
    "build_plan",
    "failure",
    "run_plan",
    "run_pool",
]
