"""Validate tasks on the host, without Docker: for task authors.

    python -m benchrun.codegen.validate_local tasks/translation/my-task [more task or suite folders]

Each run gets a fresh temporary work dir and the sample environment, with the task
venv (`/opt/taskenv/bin`, or $BENCHRUN_TASKENV/bin) first on PATH. No isolation: only
run tasks you trust. `benchrun tasks validate` runs the same checks in the sandbox.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping

from benchrun.codegen.tasks import TaskError, load_paths
from benchrun.codegen.validate import TaskValidation, failure_tail, validate_tasks
from benchrun.sandboxes.base import ExecResult, Limits, categorize, check_relative, minimal_env

TASKENV = os.environ.get("BENCHRUN_TASKENV", "/opt/taskenv")


class HostRunner:
    """The Sandbox interface on the host: a temp dir, a subprocess, the time limit only."""

    def __init__(self, taskenv: str = TASKENV):
        self.bin = str(Path(taskenv) / "bin")

    def run(self, files, command: list[str], limits: Limits, env: Mapping[str, str] | None = None) -> ExecResult:
        with tempfile.TemporaryDirectory(prefix="benchrun-task-") as workdir:
            for name, data in files.items():
                target = Path(workdir, check_relative(name))
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data.encode() if isinstance(data, str) else data)
            run_env = minimal_env(workdir, env)
            run_env["PATH"] = f"{self.bin}:{os.environ.get('PATH', '/usr/bin:/bin')}"
            started = time.monotonic()
            # Its own session, so a timeout ends the program's children too.
            process = subprocess.Popen(
                command, cwd=workdir, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                stdout, stderr = process.communicate(timeout=limits.timeout_s)
                timed_out = False
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                stdout, stderr = process.communicate()
                timed_out = True
            code = None if timed_out else process.returncode
            return ExecResult(
                exit_code=code, stdout=_text(stdout), stderr=_text(stderr), duration_s=time.monotonic() - started,
                category=categorize(code, timed_out=timed_out), timed_out=timed_out,
            )

    def close(self) -> None:
        pass

    def __enter__(self) -> "HostRunner":
        return self

    def __exit__(self, *exc) -> None:
        pass


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def report_line(outcome: TaskValidation) -> str:
    ref, base = outcome.reference, outcome.baseline
    line = (
        f"{'OK  ' if outcome.ok else 'BAD '} {outcome.task.id}: reference "
        f"{'pass' if ref.ok else 'FAIL'} ({ref.duration_s:.1f}s), input "
        f"{'PASS' if base.ok else 'fail'} ({base.duration_s:.1f}s)"
    )
    details = []
    if not ref.ok:
        details.append("  reference: " + failure_tail(ref, 12).replace("\n", "\n    "))
    details.append("  input: " + failure_tail(base, 3 if outcome.ok else 12).replace("\n", "\n    "))
    return "\n".join([line, *details])


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    jobs = int(os.environ.get("BENCHRUN_JOBS", "2"))
    try:
        tasks = load_paths(argv)
    except TaskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not Path(TASKENV, "bin", "python3").exists():
        print(f"error: no task venv at {TASKENV} (set BENCHRUN_TASKENV)", file=sys.stderr)
        return 2
    outcomes = validate_tasks(tasks, HostRunner(), jobs=jobs, progress=lambda o: print(report_line(o), flush=True))
    bad = [o.task.id for o in outcomes if not o.ok]
    print(f"\n{len(outcomes) - len(bad)}/{len(outcomes)} tasks discriminate" + (f"; not: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
