"""How fast the results store takes metrics, and what logging costs a training loop.

    python bench/store_ingest.py [--rows 2000000] [--steps 3000] [--repeats 5]

Prints:
1. metric rows per second through BatchWriter.log_metrics -> committed in DuckDB
   (the path a run uses), against row-by-row INSERTs (one `execute` per row, all in one
   transaction, and `executemany`). Target: >= 1,000,000 rows/s batched.
2. the overhead of logging every step of a small SGD training loop (scikit-learn
   SGDRegressor.partial_fit on mini-batches) through the writer, with its background
   flush thread running, against the same loop without logging. Target: < 5 %.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from benchrun.storage import BatchWriter, Store
from benchrun.storage.store import now


def batched(db: Path, rows: int, per_call: int = 10) -> tuple[float, float]:
    """Rows/s (per wall second, per CPU second of this process) from the first
    log_metrics call until every row is committed."""
    store = Store(db)
    names = ["train_loss", "val_loss", "memory_mb", "step_time_ms", "cpu_pct"]
    calls = rows // per_call
    # The rows a workload would hand over, made before the clock starts: making them is
    # the workload's cost, not the store's.
    units = [f"t-{i % 64:04d}" for i in range(calls)]
    batches = [[(i // 2, names[j % 5], 0.5 + j) for j in range(per_call)] for i in range(calls)]
    writer = BatchWriter(store, "r-bench", interval=1.0)
    start, cpu = time.perf_counter(), time.process_time()
    for unit, batch in zip(units, batches):
        writer.log_metrics(unit, batch)
    writer.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] == calls * per_call
    return calls * per_call / seconds, calls * per_call / cpu


def row_by_row(db: Path, rows: int, many: bool) -> float:
    Store(db)
    con = duckdb.connect(str(db))
    data = [("r-bench", f"t-{i % 64:04d}", i, "train_loss", 0.5, now()) for i in range(rows)]
    start = time.perf_counter()
    con.execute("BEGIN")
    if many:
        con.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)", data)
    else:
        for row in data:
            con.execute("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)", row)
    con.execute("COMMIT")
    seconds = time.perf_counter() - start
    con.close()
    return rows / seconds


def training_loop(steps: int, batch: int, log=None, close=None) -> tuple[float, float]:
    """(wall, process CPU) seconds of `steps` partial_fit mini-batch steps, calling
    `log(step, loss, ms)` each step if given and `close()` at the end (the final flush)."""
    from sklearn.linear_model import SGDRegressor

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 10))
    y = x @ rng.normal(size=10) + rng.normal(scale=0.1, size=4000)
    model = SGDRegressor(learning_rate="constant", eta0=0.01, random_state=0)
    start, cpu = time.perf_counter(), time.process_time()
    for step in range(steps):
        t0 = time.perf_counter()
        lo = (step * batch) % (len(x) - batch)
        xb, yb = x[lo : lo + batch], y[lo : lo + batch]
        model.partial_fit(xb, yb)
        loss = float(np.mean((model.predict(xb) - yb) ** 2))
        if log is not None:
            log(step, loss, (time.perf_counter() - t0) * 1e3)
    if close is not None:
        close()
    return time.perf_counter() - start, time.process_time() - cpu


def logging_overhead(db: Path, steps: int, repeats: int) -> tuple[tuple[float, float], tuple[float, float], int]:
    """Median (wall, CPU) of the plain loop and of the logging loop (its CPU includes the
    writer thread's flushes, which run in the same process)."""
    store = Store(db)
    plain, logged = [], []
    training_loop(200, 8)  # warm up imports and caches
    for r in range(repeats):  # alternate, so machine noise hits both alike
        plain.append(training_loop(steps, 8))
        writer = BatchWriter(store, f"r-{r}", interval=1.0)
        unit = f"t-{r}"
        logged.append(
            training_loop(
                steps, 8,
                lambda s, loss, ms, writer=writer, unit=unit: writer.log_metrics(unit, [(s, "train_loss", loss), (s, "step_time_ms", ms)]),
                writer.close,
            )
        )
    with store.connect() as con:
        stored = con.execute("SELECT count(*) FROM metrics").fetchone()[0]
    median = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
    return (median(plain, 0), median(plain, 1)), (median(logged, 0), median(logged, 1)), stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000, help="metric rows for the batched writer")
    parser.add_argument("--slow-rows", type=int, default=5_000, help="rows for the row-by-row inserts")
    parser.add_argument("--steps", type=int, default=3000, help="SGD steps per training loop")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        fast, fast_cpu = batched(tmp / "batched.duckdb", args.rows)
        one = row_by_row(tmp / "rows.duckdb", args.slow_rows, many=False)
        many = row_by_row(tmp / "many.duckdb", args.slow_rows, many=True)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"batched writer (log_metrics -> Arrow -> one transaction per flush): {fast:>12,.0f} rows/s"
              f"  ({fast_cpu:,.0f} per CPU second; {args.rows:,} rows)")
        print(f"row-by-row execute, one transaction:                               {one:>12,.0f} rows/s  ({args.slow_rows:,} rows)")
        print(f"executemany, one transaction:                                      {many:>12,.0f} rows/s  ({args.slow_rows:,} rows)")
        print(f"batched / row-by-row: {fast / one:,.0f}x   target >= 1,000,000 rows/s: {'met' if fast >= 1e6 else 'NOT met'}")
        plain, logged, stored = logging_overhead(tmp / "sgd.duckdb", args.steps, args.repeats)
        wall = (logged[0] - plain[0]) / plain[0] * 100
        cpu = (logged[1] - plain[1]) / plain[1] * 100
        print(
            f"SGDRegressor.partial_fit, {args.steps} steps of 8 rows, median of {args.repeats}: "
            f"plain {plain[0]:.3f} s wall / {plain[1]:.3f} s CPU; logging 2 metrics every step "
            f"{logged[0]:.3f} s / {logged[1]:.3f} s ({stored:,} rows stored)"
        )
        print(f"logging overhead: {wall:+.1f} % wall, {cpu:+.1f} % CPU   target < 5 %: {'met' if wall < 5 else 'NOT met'}")

if __name__ == "__main__":
    main()
