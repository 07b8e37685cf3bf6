"""How wide are the 95 % intervals the shipped corpus gives, and how often do they cover?

    python bench/interval_width.py [--benchmarks 1000] [--no-coverage]

1. Half-widths. For each functionality of tasks/ (its task count T today) and the whole
   corpus, the expected half-width of a cell's 95 % interval at 3 samples per task:
   t(0.975, T - 1) * sigma / sqrt(T), where sigma is the spread of one task's pass@k
   estimate over the population of tasks. The tasks' pass rates are taken as Beta(a, b)
   with a + b = 2 (tasks differ a lot, as real tasks do) and mean 0.2, 0.5 or 0.8; then
   Var(pass@1 estimate) = Var(p) + E[p (1 - p)] / 3 and the pass@3 estimate (n = 3) is 1
   when any sample passed: Var = q (1 - q), q = 1 - E[(1 - p)^3]. The realised half-width
   also varies with the sample's spread (its mean is a little below this).
2. Coverage. Simulated benchmarks (tests/reports/interval_simulation.py: a real results
   file, the views' own SQL, every benchmark in one query) for a few task populations and
   cell sizes: the share of intervals that cover the true expected pass@k, and the mean
   half-width measured (to check the formula).
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reports"))
from interval_simulation import Scenario, coverage, write_results  # the tests' simulation
from scipy import stats

from benchrun.codegen.tasks import find_task_folders, load_task

ROOT = Path(__file__).resolve().parents[1]

SAMPLES = 3
MEANS = (0.2, 0.5, 0.8)
SPREAD = 2.0  # a + b of the Beta population


def beta_moment(a: float, b: float, k: int) -> float:
    """E[(1 - p)^k] for p ~ Beta(a, b)."""
    return math.prod((b + j) / (a + b + j) for j in range(k))


def task_sd(a: float, b: float, k: int) -> float:
    """The standard deviation of one task's pass@k estimate (3 samples) over the population."""
    mean = a / (a + b)
    if k == 1:
        variance = a * b / ((a + b) ** 2 * (a + b + 1))
        within = mean - (variance + mean**2)  # E[p (1 - p)]
        return math.sqrt(variance + within / SAMPLES)
    q = 1 - beta_moment(a, b, SAMPLES)  # pass@3 from 3 samples: did any pass
    return math.sqrt(q * (1 - q))


def half_width(tasks: int, a: float, b: float, k: int) -> float:
    return stats.t.ppf(0.975, tasks - 1) * task_sd(a, b, k) / math.sqrt(tasks)


def corpus_counts() -> list[tuple[str, int]]:
    counts = Counter(load_task(folder).functionality for folder in find_task_folders(ROOT / "tasks"))
    return [*sorted(counts.items(), key=lambda item: (-item[1], item[0])), ("all tasks", sum(counts.values()))]


def half_width_table() -> None:
    populations = [(m * SPREAD, (1 - m) * SPREAD) for m in MEANS]
    head = " | ".join(f"pass@{k} at {m:.1f} (true {1 - beta_moment(a, b, k):.2f})"
                      for k in (1, 3) for m, (a, b) in zip(MEANS, populations))
    print(f"Half-width of the 95 % interval, 3 samples per task, tasks' pass rates Beta(a, b), a + b = {SPREAD:g}, "
          "mean pass@1 0.2 / 0.5 / 0.8:\n")
    print(f"| functionality | tasks | {head} |")
    print("|---|---:|" + "---:|" * (2 * len(MEANS)))
    for functionality, tasks in corpus_counts():
        cells = " | ".join(f"±{half_width(tasks, a, b, k):.2f}" for k in (1, 3) for a, b in populations)
        print(f"| {functionality} | {tasks} | {cells} |")
    print()


COVERAGE = [(tasks, a, b) for a, b in ((1, 2), (2, 2), (3, 2)) for tasks in (5, 7, 10, 12)]


def coverage_table(benchmarks: int) -> None:
    scenarios = [Scenario(f"T{tasks}-beta{a:g}-{b:g}", tasks, a, b, benchmarks) for tasks, a, b in COVERAGE]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "simulated.duckdb"
        start = time.perf_counter()
        write_results(path, scenarios, samples=SAMPLES, scores=(1, 3), seed=0)
        found = coverage(path, scenarios)
        seconds = time.perf_counter() - start
    print(f"Coverage of the 95 % interval over {benchmarks} simulated benchmarks per row (3 samples per task; "
          f"{seconds:.0f} s):\n")
    print("| tasks' pass rates | tasks | true pass@1 | covered | mean half-width (formula) | true pass@3 | covered | "
          "mean half-width (formula) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for scenario in scenarios:
        cells = []
        for k in (1, 3):
            result = found[(scenario.name, k)]
            cells.append(f"{scenario.truth(k):.3f} | {100 * result['coverage']:.1f} % | "
                         f"{result['half_width']:.3f} ({half_width(scenario.tasks, scenario.a, scenario.b, k):.3f})")
        print(f"| Beta({scenario.a:g}, {scenario.b:g}) | {scenario.tasks} | {' | '.join(cells)} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=int, default=1000, help="simulated benchmarks per coverage row")
    parser.add_argument("--no-coverage", action="store_true", help="only the half-width table (formula; instant)")
    args = parser.parse_args()
    half_width_table()
    if not args.no_coverage:
        coverage_table(args.benchmarks)


if __name__ == "__main__":
    main()
