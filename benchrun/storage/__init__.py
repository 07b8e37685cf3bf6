"""The results file: one DuckDB file, its schema, the run lock, the batched writer and
which units belong to which run's plan. Below the engine; reports only read it."""
from benchrun.storage.store import (
    SCHEMA_VERSION,
    RunLock,
    RunLockedError,
    Store,
    StoreBusyError,
    StoreError,
    connect,
)
from benchrun.storage.writer import BatchWriter

__all__ = [
    "SCHEMA_VERSION",
    "BatchWriter",
    "RunLock",
    "RunLockedError",
    "Store",
    "StoreBusyError",
    "StoreError",
    "connect",
]
