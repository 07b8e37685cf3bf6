"""The DuckDB results file: opening it safely, its schema, and the run bookkeeping.

DuckDB lets one process hold a file read-write, and readers cannot open it meanwhile.
So nothing here keeps the file open: every read or write opens it for one short
transaction and closes it again, retrying briefly while another process holds it. A run
writes about once a second (see `writer.py`), which leaves the file free for
`benchrun sql` in between. A second run on the same file is refused by a run lock
(`<db>.lock`) that names the process holding it.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import duckdb

from benchrun import blocks
from benchrun.errors import BenchrunError
from benchrun.storage.tables import columns_of, completion_table, now, plan_table, prompt_table, rows_table

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
_SECTION = re.compile(r"^-- (version: (\d+)|views)\s*$", re.MULTILINE)


class StoreError(BenchrunError):
    """A results file that cannot be used; the message says why and what to do."""


class StoreBusyError(StoreError):
    pass


class RunLockedError(StoreError):
    pass


# ---------------------------------------------------------------- schema


def schema_sections(text: str | None = None) -> tuple[list[tuple[int, str]], str]:
    """Split schema.sql into its ordered (version, sql) sections and the views."""
    text = SCHEMA_FILE.read_text() if text is None else text
    marks = list(_SECTION.finditer(text))
    versions, views = [], ""
    for mark, nxt in zip(marks, marks[1:] + [None]):
        body = text[mark.end() : nxt.start() if nxt else len(text)]
        if mark.group(2):
            versions.append((int(mark.group(2)), body))
        else:
            views = body
    return versions, views


SCHEMA_VERSION = schema_sections()[0][-1][0]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first value of a query that always returns one row (an aggregate's)."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise StoreError(f"the results file returned no row for: {sql}")
    return row[0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
    if not exists:
        return 0
    return int(scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version"))


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None, *, views: bool = True) -> int:
    """Bring the schema to version `upto` (default: the newest), one transaction per step."""
    versions, view_sql = schema_sections()
    current = schema_version(con)
    newest = versions[-1][0]
    if current > newest:
        raise StoreError(
            f"this results file has schema version {current}, newer than this benchrun "
            f"understands ({newest}); upgrade benchrun or use another --db"
        )
    for version, sql in versions:
        if current < version <= (upto or newest):
            con.execute("BEGIN")
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
            con.execute("COMMIT")
            current = version
    if views and current == newest:
        con.execute(view_sql)
        for path in blocks.sql_files():  # each block kind's own tables and views, on the shared ones
            con.execute(Path(path).read_text())
        con.execute(f"COMMENT ON TABLE schema_version IS '{views_mark()}'")
    return current


def views_mark() -> str:
    """What a file's views were made from (schema.sql's views and each block kind's SQL),
    kept as schema_version's comment: views change without a schema version."""
    digest = hashlib.sha256(schema_sections()[1].encode())
    for path in blocks.sql_files():
        digest.update(Path(path).read_bytes())
    return f"views {digest.hexdigest()[:16]}"


def up_to_date(con: duckdb.DuckDBPyConnection) -> bool:
    """The file has this benchrun's schema version and views (readable read-only)."""
    if schema_version(con) != SCHEMA_VERSION:
        return False
    row = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'schema_version'").fetchone()
    return row is not None and row[0] == views_mark()


def bring_up_to_date(path: str | os.PathLike[str]) -> None:
    """Before a reader opens the file read-only: migrate a file whose schema or views are
    older than this benchrun's, so its new columns, tables and views exist. A current
    file is only looked at (read-only); a file a running `benchrun run` holds is left to
    that run; a file that cannot be opened for writing within 2 s (read-only storage, a
    DuckDB session holding it) is read as it is."""
    if not os.path.exists(path):
        return
    try:
        with connect(path, read_only=True, timeout=2.0) as con:
            if up_to_date(con):
                return
        if RunLock.held(path):
            return
        with connect(path, timeout=2.0) as con:
            migrate(con)
    except (StoreError, duckdb.Error, OSError):
        pass


# ---------------------------------------------------------------- opening the file


# DuckDB shares one database instance between the connections a process opens on a
# file, and connections opened and closed concurrently by several threads race on it
# (seen as "Table Function with name python_arrow_scan does not exist" mid-run, and a
# lost batch). So a process opens each file from one thread at a time; the work done
# under it is short (one flush, one cache lookup).
_FILE_LOCKS: dict[str, threading.RLock] = {}
_FILE_LOCKS_GUARD = threading.Lock()


def _file_lock(path: str) -> threading.RLock:
    key = os.path.realpath(path)
    with _FILE_LOCKS_GUARD:
        return _FILE_LOCKS.setdefault(key, threading.RLock())


def _holder(message: str) -> str:
    found = re.search(r"\(PID (\d+)\)", message)
    return f"process {found.group(1)}" if found else "another process"


@contextlib.contextmanager
def connect(path: str | os.PathLike[str], *, read_only: bool = False, timeout: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the file for one short piece of work, waiting up to `timeout` s for a lock."""
    path = str(path)
    if read_only and not os.path.exists(path):
        raise StoreError(f"no results file at {path}: run a spec first, or pass --db PATH")
    deadline = time.monotonic() + timeout
    lock = _file_lock(path)
    if not lock.acquire(timeout=timeout):
        raise StoreBusyError(f"{path} stayed busy in this process for {timeout:g} s")
    try:
        con = _open(path, read_only, deadline, timeout)
        try:
            yield con
        finally:
            con.close()
    finally:
        lock.release()


def _open(path: str, read_only: bool, deadline: float, timeout: float) -> duckdb.DuckDBPyConnection:
    pause = 0.002
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            # Held by another process (a lock), or by this one in the other mode
            # (read-only vs read-write): both end when that short transaction does.
            text = str(err)
            if "lock" not in text.lower() and "different configuration" not in text:
                raise StoreError(f"cannot open {path}: {text}") from None
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"{path} stayed locked by {_holder(text)} for {timeout:g} s; "
                    "a DuckDB session holding it open blocks benchrun, close it and retry"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        except duckdb.Error as err:
            raise StoreError(f"cannot open {path}: {err}") from None


# ---------------------------------------------------------------- the run lock


class RunLock:
    """Only one run writes a results file at a time: an flock on `<db>.lock`.

    The kernel drops the lock when the process dies, so a killed run never leaves the
    file locked."""

    def __init__(self, db_path: str | os.PathLike[str]):
        self.path = f"{db_path}.lock"
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise RunLockedError(
                f"another benchrun run is writing to {self.path[:-5]} ({holder}); "
                "wait for it to finish, or pass a different --db"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        self._fd = fd
        return self

    @staticmethod
    def held(db_path: str | os.PathLike[str]) -> bool:
        """Whether a run holds the lock, read from what it wrote there without taking
        the lock (taking it, even for a moment, could refuse a run starting then). A
        holder on another host cannot be checked and counts as running."""
        try:
            with open(f"{db_path}.lock") as handle:
                found = re.fullmatch(r"pid (\d+) on (\S+)", handle.read().strip())
        except OSError:
            return False
        if not found:
            return False
        if found.group(2) != socket.gethostname():
            return True
        try:
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            return False  # killed: the kernel dropped its lock, its text stayed
        except PermissionError:
            return True
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# ---------------------------------------------------------------- the store


class RunWriter(Protocol):
    """A run's batched writer as the store hands rows to it (storage.writer.BatchWriter,
    which imports this module)."""

    def flush(self, timeout: float | None = None) -> int: ...
    def pending_completion(self, key: str) -> dict[str, Any] | None: ...
    def put_completion(self, row: dict[str, Any]) -> None: ...
    def put_prompt(self, prompt_hash: str, messages: list[dict[str, str]], tokens: int | None) -> None: ...


class Store:
    """One results file: migrated on open, then opened briefly for each operation."""

    def __init__(self, path: str | os.PathLike[str], *, write_timeout: float = 60.0):
        self.path = str(path)
        self.write_timeout = write_timeout
        self.writer: RunWriter | None = None  # the active BatchWriter of a run, if any
        self._cached_keys: set[str] | None = None  # keys in the completions table, read once
        self._keys_lock = threading.Lock()
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            migrate(con)

    def connect(self, *, read_only: bool = False, timeout: float | None = None) -> contextlib.AbstractContextManager[
            duckdb.DuckDBPyConnection]:
        return connect(self.path, read_only=read_only, timeout=timeout or self.write_timeout)

    def run_lock(self) -> RunLock:
        return RunLock(self.path)

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self.connect() as con:
            return list(con.execute(sql, params).fetchall())

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Write rows to a table at once, in one transaction (columns as the file declares
        them): for the few rows a run must not lose to a kill, such as a model's answer
        that trials are about to use."""
        with self.connect() as con:
            con.register("benchrun_rows", rows_table(columns_of(con, table), rows))
            con.execute(f"INSERT INTO {table} SELECT * FROM benchrun_rows")

    # -- runs

    def open_run(self, run_id: str, units: list[Any], *, fresh: bool, spec_path: str | None,
                 spec_hash: str | None, version: str) -> tuple[set[str], dict[str, int]]:
        """Start a run in one transaction, recording its plan (`units`: objects with id,
        kind, block, labels and params); returns (units to skip, earlier attempts per unit).

        Call it holding the run lock: runs still marked running are then known to be
        dead (killed), and are marked interrupted. Metrics and samples that attempts
        which never finished left for the units about to run are dropped, so running
        them again duplicates nothing."""
        plan = plan_table(units, run_id)
        unit_ids = plan.column("unit_id").to_pylist()
        with self.connect() as con:
            con.execute("BEGIN")
            con.register("benchrun_plan", plan)
            con.execute("INSERT INTO planned_units BY NAME SELECT * FROM benchrun_plan")
            con.execute(
                "UPDATE runs SET status = 'interrupted', error = 'the process ended without closing the run' "
                "WHERE status = 'running'"
            )
            con.execute("CREATE TEMP TABLE planned AS SELECT unnest(?::VARCHAR[]) AS unit_id", [unit_ids])
            done = {r[0] for r in con.execute(
                "SELECT DISTINCT unit_id FROM units WHERE status = 'done' AND unit_id IN (SELECT unit_id FROM planned)"
            ).fetchall()}
            skipped = set() if fresh else done
            if skipped:
                con.execute("DELETE FROM planned WHERE unit_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(skipped)])
            for table in ("metrics", "samples"):
                con.execute(
                    f"DELETE FROM {table} t WHERE t.unit_id IN (SELECT unit_id FROM planned) "
                    "AND NOT EXISTS (SELECT 1 FROM units u WHERE u.status = 'done' "
                    "AND u.run_id = t.run_id AND u.unit_id = t.unit_id)"
                )
            attempts = dict(con.execute(
                "SELECT unit_id, count(*) FROM units WHERE unit_id IN (SELECT unit_id FROM planned) GROUP BY unit_id"
            ).fetchall())
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, NULL, 'running', ?, ?, ?, ?, ?, NULL)",
                [run_id, spec_path, spec_hash, now(), version, socket.gethostname(), os.getpid(), len(unit_ids), len(skipped)],
            )
            con.execute("COMMIT")
        return skipped, attempts

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        with self.connect() as con:
            con.execute(
                "UPDATE runs SET status = ?, finished = ?, error = ? WHERE run_id = ?",
                [status, now(), error, run_id],
            )

    # -- the completion cache

    def get_completion(self, key: str) -> dict[str, Any] | None:
        if self.writer is not None:
            pending = self.writer.pending_completion(key)
            if pending is not None:
                return pending
        # The keys are read once: a miss (every request of a first run) then costs no
        # opening of the file, which hundreds of worker threads would queue for.
        with self._keys_lock:
            if self._cached_keys is None:
                with self.connect() as con:
                    self._cached_keys = {r[0] for r in con.execute("SELECT key FROM completions").fetchall()}
            if key not in self._cached_keys:
                return None
        with self.connect() as con:
            cur = con.execute("SELECT * FROM completions WHERE key = ?", [key])
            row = cur.fetchone()
            return dict(zip([d[0] for d in cur.description or ()], row)) if row else None

    def put_completion(self, row: dict[str, Any]) -> None:
        """Cache a completion: `key` plus any of provider, model, text, tokens_in,
        tokens_out, latency_s, finish_reason. Batched with the run's other rows."""
        if "key" not in row:
            raise ValueError("a cached completion needs a 'key'")
        with self._keys_lock:
            if self._cached_keys is not None:
                self._cached_keys.add(row["key"])
        if self.writer is not None:
            self.writer.put_completion(row)
            return
        with self.connect() as con:
            con.register("batch", completion_table([row]))
            con.execute("INSERT OR REPLACE INTO completions SELECT * FROM batch")


    # -- the prompts as sent

    def put_prompt(self, prompt_hash: str, messages: list[dict[str, str]], tokens: int | None = None) -> None:
        """Store a prompt once: batched with the run's rows, or written now without a run."""
        if self.writer is not None:
            self.writer.put_prompt(prompt_hash, messages, tokens)
            return
        with self.connect() as con:
            con.register("batch", prompt_table(prompt_hash, messages, tokens))
            con.execute("INSERT OR IGNORE INTO prompts SELECT * FROM batch")

def params_json(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, default=str)
