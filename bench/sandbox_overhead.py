"""What a sandbox costs per sample: bare host subprocess vs cold `docker run` vs the warm
Docker pool vs the local backend, for a trivial program and for one that imports
scikit-learn and fits a tiny model.

Latency runs are interleaved (one sample of each way per round) so background load hits
all of them alike; medians and ratios to the bare subprocess are printed. Throughput is
samples/second with 1 and 2 parallel workers, samples back to back (so the pool's exec
start-up, hidden between spaced-out samples, is paid there in full).

    python bench/sandbox_overhead.py                          # a few minutes on 2 cores
    python bench/sandbox_overhead.py --rounds 5 --samples 8   # quicker, noisier
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchrun.sandboxes import DockerSandbox, Limits, LocalSandbox
from benchrun.sandboxes.image import connect, default_image

PROGRAMS = {
    "trivial": "print(1)\n",
    "sklearn": (
        "import numpy as np\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "rng = np.random.default_rng(0)\n"
        "X = rng.normal(size=(200, 5)); y = (X[:, 0] > 0).astype(int)\n"
        "print(LogisticRegression().fit(X, y).score(X, y))\n"
    ),
}
LIMITS = Limits(timeout_s=60, memory_bytes=1 << 30, cpus=1, pids=256)
SETTLE_S = 0.1


class Bare:
    """The baseline: the host's Python in a subprocess, no isolation at all."""

    def run(self, program: str) -> None:
        with tempfile.TemporaryDirectory() as workdir:
            Path(workdir, "main.py").write_text(program)
            subprocess.run([sys.executable, "main.py"], cwd=workdir, check=True, capture_output=True)


class Cold:
    """A fresh `docker run --rm` per sample with the same isolation as the pool."""

    def __init__(self, client, image: str) -> None:
        self.client, self.image = client, image

    def run(self, program: str) -> None:
        self.client.containers.run(
            self.image, ["python", "-c", program], remove=True, init=True, network_mode="none",
            read_only=True, user="65534:65534", mem_limit=LIMITS.memory_bytes, pids_limit=LIMITS.pids,
            nano_cpus=int(LIMITS.cpus * 1e9), tmpfs={"/work": "rw,size=64m,uid=65534,gid=65534"},
        )


class Pooled:
    """A benchrun sandbox (the warm Docker pool or the local backend)."""

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox

    def run(self, program: str) -> None:
        result = self.sandbox.run({"main.py": program}, ["python", "main.py"], LIMITS)
        if not result.ok:
            raise RuntimeError(f"{result.category}: {result.stderr[-500:]}")


def latency(ways: dict, program: str, rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in ways}
    for way in ways.values():  # warm-up: page cache, imports
        way.run(program)
    for _ in range(rounds):
        for name, way in ways.items():
            started = time.perf_counter()
            way.run(program)
            times[name].append(time.perf_counter() - started)
            # The pool starts its next exec in the background after a sample: let that
            # finish so it is not counted in the next way's figure.
            time.sleep(SETTLE_S)
    return {name: statistics.median(values) for name, values in times.items()}


def throughput(way, program: str, samples: int, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as executor:
        list(executor.map(lambda _: way.run(program), range(samples)))
    return samples / (time.perf_counter() - started)


def _scaled(count: int, label: str, args) -> int:
    return count if label == "trivial" else max(2, count // args.sklearn_divisor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved latency rounds, trivial program")
    parser.add_argument("--samples", type=int, default=16, help="samples per throughput figure, trivial program")
    parser.add_argument("--sklearn-divisor", type=int, default=4,
                        help="the scikit-learn program gets rounds and samples divided by this (it is slow)")
    args = parser.parse_args()

    client = connect()
    image = default_image()
    local = LocalSandbox()
    print(f"image {image}; local backend {'with' if local.bwrap else 'without'} bubblewrap")
    with DockerSandbox(image, parallelism=1, limits=LIMITS, client=client) as pool1, \
            DockerSandbox(image, parallelism=2, limits=LIMITS, client=client) as pool2:
        ways = {"bare": Bare(), "cold docker run": Cold(client, image), "warm pool": Pooled(pool1),
                "local": Pooled(local)}
        print("\nper-sample latency, median of interleaved rounds (ratio to bare)")
        for label, program in PROGRAMS.items():
            medians = latency(ways, program, _scaled(args.rounds, label, args))
            cells = [f"{name} {medians[name] * 1000:.0f} ms ({medians[name] / medians['bare']:.2f}x)"
                     for name in ways]
            print(f"  {label:8s} " + " | ".join(cells))

        print("\nsamples/second at parallelism 1 and 2 (ratio p2/p1)")
        for label, program in PROGRAMS.items():
            row = []
            for name, (one, two) in {
                "bare": (Bare(), Bare()),
                "warm pool": (Pooled(pool1), Pooled(pool2)),
                "local": (Pooled(local), Pooled(local)),
            }.items():
                one.run(program)
                two.run(program)
                samples = _scaled(args.samples, label, args)
                p1 = throughput(one, program, samples, 1)
                p2 = throughput(two, program, samples, 2)
                row.append(f"{name} {p1:.1f} -> {p2:.1f} ({p2 / p1:.2f}x)")
            print(f"  {label:8s} " + " | ".join(row))


if __name__ == "__main__":
    main()
