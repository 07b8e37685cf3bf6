"""What a Ray cluster buys: samples judged per second and trials per second on one node
and on two, and what the Ray path costs against the local path on one node.

A real cluster on this machine (tests/ray_cluster.py: a head and a worker, each its own
`ray start` with one CPU). Measured in one run, in this order, so a drift in the machine's
load shows up as a difference between the two one-node rounds:

  local      a task's reference judged N times by `DockerSandbox(parallelism=1)` in this
             process: the path of `executor local()` with `concurrency 1`
  ray x1     the same N samples through `RaySandbox` on the head alone (1 slot):
             the path of `executor ray(address = ...)`
  ray x2     the same with the worker joined (2 slots, one per node)
  ray x1     again after the worker is killed
  local      again

then a tune grid (`executor ray(address = ...)`, 1 CPU per trial) on two nodes and on
one. Each figure is the mean of its rounds; ratios are printed side by side.
Every sandbox call is a real Docker exec; both nodes share this machine's engine and CPUs.

    python bench/cluster_scaling.py                     # 6 samples per round, 8 trials
    python bench/cluster_scaling.py --samples 4 --rows 5000
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ray_cluster import Cluster  # the tests' multi-node harness

from benchrun.codegen.judging import Judge
from benchrun.codegen.tasks import load_task
from benchrun.codegen.validate import DEFAULT_LIMITS
from benchrun.engine.units import RunContext
from benchrun.grammar.spec import Loc, SandboxSpec, Spec
from benchrun.raycluster import connect
from benchrun.sandboxes import DockerSandbox
from benchrun.sandboxes.image import default_image
from benchrun.sandboxes.ray_pool import RaySandbox
from benchrun.tuning import TuneWorkload
from benchrun.tuning.plan import trial_units
from benchrun.tuning.spec import DatasetSpec, ExecutorSpec, Param, SearchSpec, SplitSpec, TuneSpec, Values

ROOT = Path(__file__).resolve().parents[1]
LOC = Loc("bench", 1, 1)


def judge_samples(sandbox, workers: int, task, samples: int) -> float:
    """Samples judged per second: `samples` judgements of the reference, `workers` at once."""
    judge = Judge(sandbox, DEFAULT_LIMITS)
    judge.original(task)  # once per task in a run, not per sample: not timed
    left = list(range(samples))
    lock = threading.Lock()
    verdicts = []

    def work() -> None:
        while True:
            with lock:
                if not left:
                    return
                left.pop()
            verdicts.append(judge(task, task.reference).passed)

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if verdicts != [True] * samples:
        raise SystemExit(f"a reference did not pass: {verdicts}")
    return samples / elapsed


def local_rate(task, samples: int) -> float:
    with DockerSandbox(parallelism=1, limits=DEFAULT_LIMITS) as sandbox:
        return judge_samples(sandbox, 1, task, samples)


def ray_rate(task, samples: int) -> tuple[float, int]:
    with RaySandbox(SandboxSpec(backend="docker"), default_image()) as sandbox:
        return judge_samples(sandbox, sandbox.slots, task, samples), sandbox.slots


def grid(rows: int, address: str) -> TuneSpec:
    data = DatasetSpec("synthetic", "bench", (("features", 20), ("rows", rows), ("task", "classification")), LOC)
    space = (Param("batch_size", Values((32, 64)), LOC), Param("learning_rate", Values((0.01, 0.001)), LOC),
             Param("alpha", Values((1e-4, 1e-3)), LOC))
    return TuneSpec(name="bench", datasets=(data,), algorithms=("logistic_regression",), split=SplitSpec(0.3, 0),
                    search=SearchSpec("grid", space), epochs=2, evaluate_every=50, stop=None,
                    executor=ExecutorSpec("ray", (("address", address), ("cpus_per_trial", 1))), seed=0,
                    metric="val_loss", mode="min", loc=LOC)


def trial_rate(block: TuneSpec) -> float:
    units, outcomes = trial_units(block), []
    ctx = RunContext("bench", Spec("bench", "", "", (block,)), 0, lambda unit_id, rows: None)
    started = time.perf_counter()
    TuneWorkload().run_block(block, units, ctx, outcomes.append)
    elapsed = time.perf_counter() - started
    if [o.status for o in outcomes] != ["done"] * len(units):
        raise SystemExit(f"trials failed: {[o.error for o in outcomes if o.status != 'done'][:1]}")
    return len(units) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", default="tasks/translation/gitpython-dvc-data-versions", help="the task judged")
    parser.add_argument("--samples", type=int, default=6, help="samples judged per round")
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the tune grid's synthetic data set")
    args = parser.parse_args()
    os.environ.update(RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="disabled")  # as the test cluster's
    task = load_task(ROOT / args.task)
    print(f"task {task.id}: its reference judged {args.samples} times per round; 8 trials of a tune grid "
          f"({args.rows} rows); load average {os.getloadavg()[0]:.1f} at the start")
    rates: dict[str, list[float]] = {"local": [], "ray x1": [], "ray x2": []}
    trials: dict[str, float] = {}
    cluster = Cluster(cpus_per_node=1)
    try:
        connect(cluster.address)

        def measure(name: str, rate: float, slots: int = 1) -> None:
            rates[name].append(rate)
            print(f"  {name:7s} {rate:6.3f} samples/s ({slots} slot(s), load average {os.getloadavg()[0]:.1f})")

        measure("local", local_rate(task, args.samples))
        measure("ray x1", *ray_rate(task, args.samples))
        cluster.add_node()
        measure("ray x2", *ray_rate(task, args.samples))
        trials["x2"] = trial_rate(grid(args.rows, cluster.address))
        print(f"  trials on two nodes: {trials['x2']:.3f} trials/s")
        cluster.nodes[-1].kill()
        deadline = time.monotonic() + 60
        while len(cluster.alive_nodes()) > 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)  # the driver's view of the nodes follows the GCS
        trials["x1"] = trial_rate(grid(args.rows, cluster.address))
        print(f"  trials on one node:  {trials['x1']:.3f} trials/s")
        measure("ray x1", *ray_rate(task, args.samples))
        measure("local", local_rate(task, args.samples))
    finally:
        import ray

        ray.shutdown()
        cluster.stop()
    mean = {name: sum(values) / len(values) for name, values in rates.items()}
    print(f"samples/s: local {mean['local']:.3f}, Ray one node {mean['ray x1']:.3f}, Ray two nodes {mean['ray x2']:.3f}")
    print(f"two nodes / one node (samples/s): {mean['ray x2'] / mean['ray x1']:.2f}x   (target >= 1.6x)")
    print(f"two nodes / one node (trials/s):  {trials['x2'] / trials['x1']:.2f}x")
    print(f"Ray path / local path on one node (time per sample): {mean['local'] / mean['ray x1']:.2f}x   "
          "(target <= 1.2x)")


if __name__ == "__main__":
    main()
