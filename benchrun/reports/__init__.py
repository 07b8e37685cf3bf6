"""The results store: one DuckDB file, its schema and writer, and SQL reports."""
from benchrun.reports.passk import mean_pass_at_k, pass_at_k
from benchrun.reports.store import (
    SCHEMA_VERSION,
    RunLock,
    RunLockedError,
    Store,
    StoreBusyError,
    StoreError,
    connect,
)
from benchrun.reports.writer import SAMPLE_FIELDS, BatchWriter

__all__ = [
    "SAMPLE_FIELDS",
    "SCHEMA_VERSION",
    "BatchWriter",
    "RunLock",
    "RunLockedError",
    "Store",
    "StoreBusyError",
    "StoreError",
    "connect",
    "mean_pass_at_k",
    "pass_at_k",
]
