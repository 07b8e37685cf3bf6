"""What running trials through benchrun's executors costs, and what sampling costs.

Runs the same compute-bound grid (logistic regression by mini-batch SGD on a synthetic
data set) three ways and prints the wall time of each:

  plain loop    every trial in this process, one after the other (no executor at all)
  process pool  benchrun's local executor, one worker per CPU
  ray tune      benchrun's Ray executor, 1 CPU per trial (Ray's start is timed apart)

in interleaved rounds (the best of each is kept: the machine may be shared),

then times one trial with and without system-metric sampling (CPU %, memory) and the
sampler call itself, to give sampling's share of trial time.

    python bench/tuning_overhead.py            # 8 trials of a few seconds each
    python bench/tuning_overhead.py --rows 20000 --rounds 1 --repeats 3   # quicker, noisier
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchrun.engine.units import RunContext
from benchrun.grammar.spec import Loc, Spec
from benchrun.tuning import SystemSampler, TuneWorkload, prepare, run_trial
from benchrun.tuning.plan import trial_units
from benchrun.tuning.spec import DatasetSpec, ExecutorSpec, Param, SearchSpec, SplitSpec, TuneSpec, Values

LOC = Loc("bench", 1, 1)


def grid_block(rows: int, executor: ExecutorSpec, evaluate_every: int) -> TuneSpec:
    data = DatasetSpec("synthetic", "bench", (("features", 50), ("rows", rows), ("task", "classification")), LOC)
    space = (
        Param("batch_size", Values((32, 64, 128, 256)), LOC),
        Param("learning_rate", Values((0.01, 0.001)), LOC),
        Param("alpha", Values((1e-4,)), LOC),
    )
    return TuneSpec(
        name="bench", datasets=(data,), algorithms=("logistic_regression",), split=SplitSpec(0.3, 0),
        search=SearchSpec("grid", space), epochs=3, evaluate_every=evaluate_every, stop=None,
        executor=executor, seed=0, metric="val_loss", mode="min", loc=LOC,
    )


def run_workload(block: TuneSpec) -> tuple[float, int]:
    units = trial_units(block)
    rows: list[int] = []
    outcomes = []
    ctx = RunContext("bench", Spec("bench", "", "", (block,)), 2, lambda unit_id, r: rows.append(len(r)))
    started = time.perf_counter()
    TuneWorkload().run_block(block, units, ctx, outcomes.append)
    elapsed = time.perf_counter() - started
    failed = [o for o in outcomes if o.status != "done"]
    if failed or len(outcomes) != len(units):
        raise SystemExit(f"bench run incomplete: {len(outcomes)}/{len(units)} reported, failures: {failed[:1]}")
    return elapsed, sum(rows)


def plain_loop(block: TuneSpec, sample: bool = True) -> float:
    units = trial_units(block)
    started = time.perf_counter()
    for unit in units:
        data = prepare(unit.params["dataset"], unit.params["split"], unit.params["seed"])
        run_trial(unit.params, data, lambda result: None, sample_system=sample)
    return time.perf_counter() - started


def sampling_overhead(block: TuneSpec, repeats: int) -> dict[str, float]:
    """One trial, alternately with and without sampling (ABBA order, so a drift in the
    machine's load hits both alike); median times."""
    unit = trial_units(block)[0]
    data = prepare(unit.params["dataset"], unit.params["split"], unit.params["seed"])
    evaluations = []
    times: dict[bool, list[float]] = {True: [], False: []}
    for repeat in range(repeats):
        for sample in (False, True) if repeat % 2 == 0 else (True, False):
            results = []
            started = time.perf_counter()
            run_trial(unit.params, data, results.append, sample_system=sample)
            times[sample].append(time.perf_counter() - started)
            evaluations.append(len(results))
    sampler = SystemSampler()
    calls = 2000
    started = time.perf_counter()
    for _ in range(calls):
        sampler.sample()
    per_sample = (time.perf_counter() - started) / calls
    without, with_ = statistics.median(times[False]), statistics.median(times[True])
    return {
        "trial_s_without": without,
        "trial_s_with": with_,
        "evaluations": evaluations[0],
        "sample_us": per_sample * 1e6,
        "share_pct": 100.0 * per_sample * evaluations[0] / without,
        "measured_pct": 100.0 * (with_ - without) / without,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the synthetic data set (trial length)")
    parser.add_argument("--every", type=int, default=20, help="steps between evaluations")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three runs, interleaved (best is kept)")
    parser.add_argument("--fresh", action="store_true", help="a fresh Ray worker per trial (reuse_actors = false)")
    parser.add_argument("--repeats", type=int, default=6, help="repeats of the sampling comparison")
    parser.add_argument("--sampling-only", action="store_true", help="skip the executor comparison")
    args = parser.parse_args()
    cpus = os.cpu_count() or 1
    print(f"grid: 8 trials, logistic regression, {args.rows} x 50 synthetic, 3 epochs, evaluate every {args.every} steps;"
          f" {cpus} CPUs")

    if not args.sampling_only:
        compare_executors(args, cpus)
    s = sampling_overhead(grid_block(args.rows, ExecutorSpec("local"), args.every), args.repeats)
    print(
        f"sampling: {s['sample_us']:.0f} us per sample x {s['evaluations']} evaluations = {s['share_pct']:.2f}% of a "
        f"{s['trial_s_without']:.2f} s trial; measured with/without: {s['trial_s_with']:.2f} s / "
        f"{s['trial_s_without']:.2f} s ({s['measured_pct']:+.1f}%, median of {args.repeats})"
    )


def compare_executors(args, cpus: int) -> None:
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    print(f"Ray start: {time.perf_counter() - started:.1f} s (once per process, not counted below)")
    ray_options = (("cpus_per_trial", 1),) + ((("reuse_actors", False),) if args.fresh else ())
    runs = {
        "plain loop": lambda: plain_loop(grid_block(args.rows, ExecutorSpec("local"), args.every)),
        "process pool": lambda: run_workload(grid_block(args.rows, ExecutorSpec("local"), args.every))[0],
        "ray tune": lambda: run_workload(grid_block(args.rows, ExecutorSpec("ray", ray_options), args.every))[0],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(args.rounds):
        for name, run in runs.items():
            load = os.getloadavg()[0]
            times[name].append(run())
            print(f"  round {round_ + 1}: {name:13s} {times[name][-1]:7.1f} s  (load average {load:.1f} before)")
    plain = min(times["plain loop"])
    for name in runs:
        best = min(times[name])
        print(f"{name:13s} best {best:7.1f} s   {best / plain:.2f}x the plain loop")
    ray.shutdown()


if __name__ == "__main__":
    main()
