"""The batched writer: the one path by which a run's rows reach the results file.

Workloads call `log_metrics` and `record_unit` from any thread; both only append to
in-memory buffers. A background thread flushes within `interval` seconds of a unit
ending, and otherwise every `metrics_interval` seconds or as soon as `max_rows` metric
rows wait: it swaps the buffers out, turns them into Arrow tables and inserts everything
in one transaction. A crash therefore loses at most the rows not yet flushed, and a
unit's outcome row always lands in the same transaction as its samples and after its
metrics. Metrics of a unit still running are flushed less often because they are only
worth something once the unit ends (resume drops those of unfinished units); each flush
costs ~20 ms of CPU to open and close the file, which a training loop in the same
process would feel.
"""
from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
import pyarrow as pa

from benchrun.errors import BenchrunError
from benchrun.storage.store import Store, StoreBusyError
from benchrun.storage.tables import (
    MetricRows,
    columns_of,
    completion_table,
    measure_table,
    metric_table,
    prompt_table,
    rows_table,
    unit_table,
)

# Flushes that fail for a reason other than a busy file are retried this many times in
# a row (backing off) before the writer gives up and the run stops.
MAX_FAILURES = 5

log = logging.getLogger(__name__)

class WriteFailed(BenchrunError):
    """Finished results could not be written; the message says what failed and what to do."""


@attrs.define
class _Batch:
    metrics: list[tuple[str, float, MetricRows]] = attrs.Factory(list)  # (unit_id, wall_time, rows)
    metric_rows: int = 0
    units: list[dict[str, Any]] = attrs.Factory(list)  # unit rows
    samples: list[pa.Table] = attrs.Factory(list)  # one Arrow table per unit
    measures: list[pa.Table] = attrs.Factory(list)  # one Arrow table per unit that has graded values
    completions: dict[str, tuple[dict[str, Any], pa.Table]] = attrs.Factory(dict)  # key -> (row, one-row table)
    prompts: dict[str, pa.Table] = attrs.Factory(dict)  # prompt_hash -> one-row Arrow table

    def empty(self) -> bool:
        return not (self.metrics or self.units or self.completions or self.prompts)


class BatchWriter:
    """Buffers a run's rows and flushes them in one transaction per batch.

    No finished result is dropped: rows are converted to Arrow when they are recorded (a
    bad row is refused there, naming its unit), flushes are serialised, and a batch whose
    flush fails for any reason goes back to the buffer and is tried again. A busy file
    (a reader holding it) is waited out; any other failure is retried `max_failures`
    times in a row, then the writer gives up: `failure` is set, `on_failure` is called
    (the run loop stops starting units) and `close()` raises WriteFailed naming the
    units not written. `written_units` says which outcomes reached the file."""

    def __init__(self, store: Store, run_id: str, *, interval: float = 1.0, metrics_interval: float | None = None,
                 max_rows: int = 200_000, max_failures: int = MAX_FAILURES, retry_delay: float = 0.5,
                 on_failure: Callable[[BaseException], None] | None = None):
        self.store = store
        self.run_id = run_id
        self.interval = interval
        self.metrics_interval = 5 * interval if metrics_interval is None else metrics_interval
        self.max_rows = max_rows
        self.max_failures = max_failures
        self.retry_delay = retry_delay
        self.on_failure = on_failure
        self.failure: BaseException | None = None  # set when the writer gave up
        self.rows_written = 0
        self.written_units: set[str] = set()
        self._lock = threading.Lock()  # the buffer
        self._flush_lock = threading.Lock()  # one flush at a time
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._buffer = _Batch()
        self._prompts_put: set[str] = set()  # a prompt is buffered once per run, whatever its samples
        with store.connect() as con:  # the samples row, as the file's schema declares it
            self._sample_columns = columns_of(con, "samples")
        self._thread = threading.Thread(target=self._loop, name="benchrun-writer", daemon=True)
        store.writer = self
        self._thread.start()

    @property
    def error(self) -> BaseException | None:
        return self.failure

    # -- called by the run loop and the workloads, from any thread

    def log_metrics(self, unit_id: str, rows: list[tuple[int, str, float]]) -> None:
        """Append (step, name, value) rows for a unit; cheap, never touches the file."""
        rows = list(rows)
        with self._lock:
            self._buffer.metrics.append((unit_id, time.time(), rows))
            self._buffer.metric_rows += len(rows)
            full = self._buffer.metric_rows >= self.max_rows
        if full and not self._wake.is_set():  # set() is costly: once per full buffer
            self._wake.set()

    def record_unit(self, unit_row: dict[str, Any], samples: list[dict[str, Any]]) -> None:
        """Queue a unit's outcome row with its sample rows (written in the same batch).

        Raises ValueError, and queues nothing, for a sample row without a value its
        column requires (a verdict, `passed`) or with a value its column cannot hold."""
        keys = {"run_id": unit_row["run_id"], "unit_id": unit_row["unit_id"]}
        samples = [{**sample, **keys} for sample in samples]
        try:
            # A sample's graded values go to sample_measures, not to its `extra` column.
            measures = measure_table(samples)
            table = rows_table(self._sample_columns, [
                {k: v for k, v in sample.items() if k != "measures"} for sample in samples]) if samples else None
            unit_table([unit_row])
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, KeyError, OverflowError) as err:
            raise ValueError(f"a value does not fit its column: {err}") from None
        with self._lock:
            self._buffer.units.append(unit_row)
            if table is not None:
                self._buffer.samples.append(table)
            if measures is not None:
                self._buffer.measures.append(measures)

    def put_completion(self, row: dict[str, Any]) -> None:
        try:
            table = completion_table([row])
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as err:
            log.warning("not caching completion %s: %s", row.get("key"), err)  # the cache is optional
            return
        with self._lock:
            self._buffer.completions[row["key"]] = (row, table)

    def put_prompt(self, prompt_hash: str, messages: list[dict[str, str]], tokens: int | None) -> None:
        """Queue a prompt as sent; call it before recording the units that used it, so it
        is written in the same batch as their samples or an earlier one."""
        with self._lock:
            if prompt_hash in self._prompts_put:
                return
            self._prompts_put.add(prompt_hash)
            self._buffer.prompts[prompt_hash] = prompt_table(prompt_hash, messages, tokens)

    def pending_completion(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._buffer.completions.get(key)
        return found[0] if found else None

    # -- flushing

    def flush(self, timeout: float | None = None) -> int:
        """Write everything buffered now in one transaction; returns the rows written.

        If the write fails (file busy, disk full, anything), the batch goes back to the
        buffer, ahead of newer rows, and the error is raised: nothing is lost."""
        with self._flush_lock:
            with self._lock:
                batch, self._buffer = self._buffer, _Batch()
            if batch.empty():
                return 0
            try:
                written = self._write(batch, timeout)
            except BaseException:
                self._restore(batch)
                raise
            self.rows_written += written
            self.written_units.update(row["unit_id"] for row in batch.units)
            return written

    def _tables(self, batch: _Batch) -> list[tuple[str, pa.Table]]:
        tables = []
        if batch.metrics:
            tables.append(("INSERT INTO metrics", metric_table(self.run_id, batch.metrics)))
        if batch.samples:
            tables.append(("INSERT INTO samples", pa.concat_tables(batch.samples)))
        if batch.measures:
            tables.append(("INSERT INTO sample_measures", pa.concat_tables(batch.measures)))
        if batch.units:
            tables.append(("INSERT INTO units", unit_table(batch.units)))
        if batch.completions:
            completions = pa.concat_tables([table for _, table in batch.completions.values()])
            tables.append(("INSERT OR REPLACE INTO completions", completions))
        if batch.prompts:  # a prompt an earlier run stored is already there
            tables.append(("INSERT OR IGNORE INTO prompts", pa.concat_tables(list(batch.prompts.values()))))
        return tables

    def _write(self, batch: _Batch, timeout: float | None) -> int:
        """One transaction: all of the batch or none of it."""
        tables = self._tables(batch)
        committed = False
        try:
            with self.store.connect(timeout=timeout) as con:
                con.execute("BEGIN")
                for i, (insert, table) in enumerate(tables):
                    con.register(f"batch_{i}", table)
                    con.execute(f"{insert} SELECT * FROM batch_{i}")
                con.execute("COMMIT")
                committed = True
        except Exception as err:
            if not committed:
                raise
            # Closing after the commit failed (e.g. a checkpoint on a full disk): the
            # rows are in the file's log, so writing them again would duplicate them.
            log.warning("closing %s after a write failed: %s", self.store.path, err)
        return sum(table.num_rows for _, table in tables)

    def _restore(self, batch: _Batch) -> None:
        with self._lock:
            newer, self._buffer = self._buffer, batch
            batch.metrics.extend(newer.metrics)
            batch.metric_rows += newer.metric_rows
            batch.units.extend(newer.units)
            batch.samples.extend(newer.samples)
            batch.measures.extend(newer.measures)
            batch.completions.update(newer.completions)
            batch.prompts.update(newer.prompts)

    def pending_units(self) -> list[str]:
        with self._lock:
            return [row["unit_id"] for row in self._buffer.units]

    def _due(self, last_flush: float) -> bool:
        with self._lock:
            outcomes = bool(self._buffer.units or self._buffer.completions)  # prompts go with their samples
            metrics = self._buffer.metric_rows
        if outcomes or metrics >= self.max_rows:
            return True
        return metrics > 0 and time.monotonic() - last_flush >= self.metrics_interval

    def _loop(self) -> None:
        last_flush = time.monotonic()
        failures = 0
        while not self._closed.is_set():
            pause = self.interval if not failures else self.retry_delay * 2 ** (failures - 1)
            self._wake.wait(pause)
            self._wake.clear()
            if self._closed.is_set() or not self._due(last_flush):
                continue
            last_flush = time.monotonic()
            try:
                self.flush(timeout=max(2.0, self.interval))  # short: a long reader must not stall this loop
                failures = 0
            except StoreBusyError as err:  # a reader holding the file: keep buffering, try again
                log.warning("%s", err)
            except Exception as err:
                failures += 1
                log.warning("writing results to %s failed (%d of %d tries): %s", self.store.path, failures,
                            self.max_failures, err)
                if failures >= self.max_failures:
                    self._give_up(err)
                    return

    def _give_up(self, err: BaseException) -> None:
        self.failure = err
        if self.on_failure is not None:
            self.on_failure(err)

    def close(self) -> None:
        """Stop the thread and write what is left, retrying as the loop does; raises
        WriteFailed when finished units could still not be written."""
        self._closed.set()
        self._wake.set()
        self._thread.join()
        self.store.writer = None
        last: BaseException | None = None
        for attempt in range(max(1, self.max_failures)):
            try:
                self.flush()  # waits for readers up to the store's write timeout
                return
            except Exception as err:
                last = err
                if isinstance(err, StoreBusyError):
                    break  # already waited the full write timeout
                time.sleep(self.retry_delay * 2**attempt)
        assert last is not None  # every try failed
        self._give_up(last)
        raise WriteFailed(self.failure_message(last))

    def failure_message(self, err: BaseException) -> str:
        units = self.pending_units()
        what = f"{len(units)} finished unit(s)" if units else "the buffered metrics"
        return (
            f"could not write {what} to {self.store.path}: {type(err).__name__}: {err}\n"
            f"{_remedy(err)}; then run the same command again: it re-runs only the units "
            "whose results are not in the file."
        )


def _remedy(err: BaseException) -> str:
    if isinstance(err, StoreBusyError):
        return "close the program that holds the file open"
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free disk space"
    if "space" in str(err).lower() or "disk" in str(err).lower():
        return "free disk space"
    return "fix the cause above (report it if it is a benchrun bug)"
