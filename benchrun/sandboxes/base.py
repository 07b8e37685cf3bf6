"""What every sandbox backend offers: run files + a command under limits, get an ExecResult."""
from __future__ import annotations

import base64
import binascii
import json
import math
import re
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, Self, runtime_checkable

import attrs

from benchrun.errors import BenchrunError

# Failure categories, most specific first: a sample that both ran out of memory and then
# hit the timeout is reported as "memory", its cause.
OK = "ok"
NONZERO_EXIT = "nonzero_exit"
TIMEOUT = "timeout"
MEMORY = "memory"
PIDS = "pids_limit"
OUTPUT_LIMIT = "output_limit"
SANDBOX_ERROR = "sandbox_error"
CATEGORIES = (OK, NONZERO_EXIT, TIMEOUT, MEMORY, PIDS, OUTPUT_LIMIT, SANDBOX_ERROR)

# The judge's source, run with `python3 -I -c` (never from a file the program could reach).
JUDGE_SOURCE = Path(__file__).with_name("judge_runner.py").read_text(encoding="utf-8")

# How much of stdout and stderr an ExecResult keeps (the end, where tracebacks are).
TAIL_BYTES = 64 * 1024

Files = Mapping[str, "bytes | str"]


class SandboxUnavailable(BenchrunError, RuntimeError):
    """The sandbox cannot be used here; the message says what to do about it."""


@attrs.frozen
class Limits:
    timeout_s: float = 60.0
    memory_bytes: int = 1 << 30
    cpus: float = 1.0
    pids: int = 256
    output_bytes: int = 1 << 20  # stdout + stderr together; more is cut and the run stopped
    network: bool = False

    @classmethod
    def from_spec(cls, spec) -> Limits:
        """From a `benchrun.grammar.spec.SandboxSpec` (or anything with the same fields)."""
        return cls(
            timeout_s=spec.timeout_s, memory_bytes=spec.memory_bytes, cpus=spec.cpus,
            pids=spec.pids, output_bytes=spec.output_bytes, network=spec.network,
        )


@attrs.frozen
class ExecResult:
    exit_code: int | None
    stdout: str  # the last TAIL_BYTES of what was captured
    stderr: str
    duration_s: float
    category: str
    timed_out: bool = False
    oom_killed: bool = False
    output_truncated: bool = False
    detail: str = ""  # why, for sandbox_error and limit categories

    @property
    def ok(self) -> bool:
        return self.category == OK


def categorize(
    exit_code: int | None, *, timed_out=False, oom_killed=False, pids_hit=False, output_truncated=False
) -> str:
    if output_truncated:
        return OUTPUT_LIMIT
    if exit_code == 0 and not timed_out:
        return OK
    if oom_killed:
        return MEMORY
    if pids_hit:
        return PIDS
    if timed_out:
        return TIMEOUT
    if exit_code is None:
        return SANDBOX_ERROR
    return NONZERO_EXIT


class OutputTail:
    """Collects one stream: counts every byte, keeps the last TAIL_BYTES."""

    def __init__(self) -> None:
        self.total = 0
        self._buffer = bytearray()

    def add(self, data: bytes) -> None:
        self.total += len(data)
        self._buffer += data
        if len(self._buffer) > 2 * TAIL_BYTES:
            del self._buffer[: len(self._buffer) - TAIL_BYTES]

    def raw(self) -> bytes:
        return bytes(self._buffer)

    def cut(self, position: int) -> None:
        """Drop everything from `position` (an index into raw()) on."""
        self.total -= len(self._buffer) - position
        del self._buffer[position:]

    def text(self) -> str:
        return bytes(self._buffer[-TAIL_BYTES:]).decode("utf-8", errors="replace")


@attrs.frozen
class Judgement:
    """A program's run and its check's run. The check ran only after every process of the
    program was gone, and `passed` is only ever set from the judge's own verdict line."""

    program: ExecResult
    check: ExecResult | None  # None: not judged (a limit hit, or the program could not be cleaned up)
    passed: bool
    after: tuple[ExecResult, ...] = ()  # the runs of the `after` commands, in order
    # Graded values the check measured ({"name", "value", "unit"}), from the verdict line
    # alone; they never decide `passed` (a failed check's may be there too).
    measures: tuple[dict, ...] = ()


def after_failure(program: ExecResult, runs: list[ExecResult], command: list[str]) -> Judgement:
    """The sample fails unjudged: its last `after` command hit a limit or could not be
    cleaned up (the judge never runs over what it left)."""
    last = runs[-1]
    check = attrs.evolve(last, detail=f"the after command {command[-1]!r}: {last.detail or last.category}")
    return Judgement(program, check, False, tuple(runs))


def judgeable(run: ExecResult) -> bool:
    """A run the judge may look at: it ended by itself, within every limit."""
    return run.category in (OK, NONZERO_EXIT)


# The judge's verdict line (see judge_runner.py), the only way a check passes.
VERDICT_MARK = "\x1eBENCHRUN-VERDICT"
# The warm judge server's ready line: its pid, start time and thread count.
WARM_MARK = "\x1eBENCHRUN-WARM"


def new_nonce() -> str:
    return secrets.token_hex(16)


def take_verdict(stdout: OutputTail, nonce: str) -> tuple[bool, bool, tuple[dict, ...]] | None:
    """(passed, clean, measures) from the judge's verdict line bearing `nonce`, cut off
    stdout; None when there is none (the judge died, was killed, or something else wrote
    the line). Only that line is read: nothing written after it counts."""
    text = stdout.raw()
    mark = text.rfind(f"{VERDICT_MARK} {nonce} ".encode())
    if mark < 0:
        return None
    fields = text[mark:].split(b"\n", 1)[0].split()
    stdout.cut(max(0, mark - 1))  # and the newline the judge put before it
    if len(fields) < 4 or fields[2] not in (b"pass", b"fail"):
        return None
    return fields[2] == b"pass", fields[3] == b"1", parse_measures(fields[4] if len(fields) > 4 else b"-")


MEASURE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
MEASURE_UNIT = re.compile(r"[A-Za-z%/._-]{0,16}")
MAX_MEASURES = 32


def parse_measures(field: bytes) -> tuple[dict, ...]:
    """The verdict line's measures field (base64 JSON, "-" for none) as {"name", "value",
    "unit"} dicts; entries that are not well-formed (name, finite value, short unit) are
    dropped, as is a field that does not decode."""
    if field == b"-":
        return ()
    try:
        items = json.loads(base64.b64decode(field, validate=True))
    except (ValueError, binascii.Error):
        return ()
    kept: dict[str, dict] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        name, value, unit = item.get("name"), item.get("value"), item.get("unit", "")
        if isinstance(name, str) and MEASURE_NAME.fullmatch(name) and isinstance(unit, str) \
                and MEASURE_UNIT.fullmatch(unit) and isinstance(value, (int, float)) \
                and not isinstance(value, bool) and math.isfinite(value):
            kept[name] = {"name": name, "value": float(value), "unit": unit}
    return tuple(kept.values())[:MAX_MEASURES]


def as_check_run(run: ExecResult, verdict: tuple[bool, bool] | None) -> ExecResult:
    """The judge's run as the check's result: exit 0 / ok only on a pass verdict; with no
    verdict, the limit it hit or a failure saying so."""
    if verdict is not None:
        return attrs.evolve(run, exit_code=0 if verdict[0] else 1, category=OK if verdict[0] else NONZERO_EXIT)
    if run.category in (OK, NONZERO_EXIT):
        return attrs.evolve(run, exit_code=1, category=NONZERO_EXIT, detail="the check ended without a verdict")
    return run


def judge_request(check: Mapping, program: ExecResult, nonce: str, sample: str, scratch: str, reap: bool,
                  sample_uid: int | None = None, server: dict | None = None,
                  after: tuple[ExecResult, ...] | list[ExecResult] = ()) -> bytes:
    """The judge's stdin: the caller's check request plus what only the sandbox knows (the
    program's run and its `after` commands' runs, as the sandbox recorded them)."""
    context = {**check.get("context", {}), "program": _record(program),
               "after_runs": [_record(run) for run in after]}
    request = {**check, "context": context, "nonce": nonce, "sample": sample, "scratch": scratch, "reap": reap,
               "sample_uid": sample_uid, **({"server": server} if server else {})}
    return json.dumps(request).encode()


def _record(run: ExecResult) -> dict:
    return {"rc": run.exit_code, "stdout": run.stdout, "stderr": run.stderr}


@runtime_checkable
class Sandbox(Protocol):
    """Runs untrusted programs. Thread-safe: a run's parallel workers share one object."""

    def run(
        self, files: Files, command: list[str], limits: Limits, env: Mapping[str, str] | None = None
    ) -> ExecResult:
        """Write `files` (relative paths) into a fresh work dir, run `command` there."""
        ...

    def judge(
        self, files: Files, command: list[str], check: Mapping, limits: Limits, env: Mapping[str, str] | None = None,
        after: Sequence[list[str]] = (),
    ) -> Judgement:
        """Run `command` over `files`, end every process of it, then each of `after` the
        same way in the same dir (as the program: its user, limits and environment), then
        run the judge (judge_runner.py) with `check` (check.py, benchcheck, the original's
        files and outputs) and every run's record over a copy of what they left. Each
        phase gets `limits`."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc) -> None: ...


def check_relative(path: str) -> str:
    """A file name a sample may use: relative, inside its work dir."""
    parts = path.replace("\\", "/").split("/")
    if not path or path.startswith("/") or ".." in parts:
        raise ValueError(f"sandbox file path must be relative and stay inside the work dir: {path!r}")
    return "/".join(p for p in parts if p not in ("", "."))


def minimal_env(workdir: str, extra: Mapping[str, str] | None, threads: int = 1) -> dict[str, str]:
    """The whole environment of a sample: nothing from the host (no API keys)."""
    env = {
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "MPLCONFIGDIR": workdir,
        "MPLBACKEND": "Agg",
        # Tasks log to MLflow/W&B: keep both local and quiet.
        "WANDB_MODE": "offline",
        "MLFLOW_TRACKING_URI": f"file://{workdir}/mlruns",
        "GIT_PYTHON_REFRESH": "quiet",
        # As many math-library threads as the sample has CPUs, not as the host has.
        "OMP_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
    }
    env.update(extra or {})
    return env
