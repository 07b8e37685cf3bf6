"""The shipped corpus discriminates four ways: every reference and committed alternative
passes, every unmodified input and committed mutant fails, and half-done translations
fail too. In the real Docker sandbox (CI), else on the host
with the task venv (/opt/taskenv, as validate_local uses)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from benchrun.codegen.judging import Judge
from benchrun.codegen.sources import load_paths
from benchrun.codegen.tasks import load_task
from benchrun.codegen.validate import DEFAULT_LIMITS, validate_tasks
from benchrun.codegen.validate_local import TASKENV

CORPUS = Path(__file__).parents[2] / "tasks" / "translation"


def _taskenv_ready() -> bool:
    python = Path(TASKENV, "bin", "python3")
    if not python.exists():
        return False
    probe = subprocess.run([python, "-c", "import dvc, wandb, mlflow, git, sklearn"], capture_output=True)
    return probe.returncode == 0



@pytest.fixture(scope="module")
def sandbox():
    """The real Docker sandbox where it runs (as in CI), else the host task venv."""
    from benchrun.grammar.spec import SandboxSpec
    from benchrun.sandboxes import SandboxUnavailable, open_sandbox

    # Warm (programs and judges forked from preloaded interpreters): a third of the cold
    # time, which keeps the whole corpus inside CI's limit; the cold path is tested by the
    # sandbox suites and by `benchrun tasks validate` without --warm.
    spec = SandboxSpec(backend="docker", memory_bytes=DEFAULT_LIMITS.memory_bytes, timeout_s=DEFAULT_LIMITS.timeout_s,
                       warm_judge=True, warm_program=True)
    try:
        box = open_sandbox(spec, 2)
    except SandboxUnavailable as error:
        if not _taskenv_ready():
            pytest.skip(f"no Docker sandbox ({error}) and no task venv at {TASKENV}")
        from benchrun.codegen.validate_local import HostRunner

        yield HostRunner()
        return
    with box:
        yield box


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.timeout(4200)  # about 7 sandbox runs a task, warm, two at once
def test_every_task_of_the_corpus_discriminates(sandbox):
    """The whole corpus, four ways: each reference and alternative passes, each unmodified
    input and mutant fails its check, and each task ships at least MIN_MUTANTS mutants and
    MIN_ALTERNATIVES alternatives (benchrun.codegen.validate)."""
    tasks = load_paths([CORPUS.parent])
    assert len(tasks) >= 40
    outcomes = validate_tasks(tasks, sandbox, jobs=2)
    assert {o.task.id: o.why for o in outcomes if not o.ok} == {}


# Translations that do part of the job, each must fail its check.
HALF_DONE = [
    (
        # DVC set up properly, but the raw data is also committed to git.
        "gitpython-dvc-iris-script",
        lambda ref: ref.replace('git_repo.index.add([\n', 'git_repo.index.add(["data/iris.csv",\n', 1),
        "data/iris.csv was committed to git",
    ),
    (
        # The data is tracked, but the training stage is never reproduced.
        "gitpython-dvc-wine-params",
        lambda ref: ref.replace('    dvc.reproduce("train")\n',
                                '    __import__("train").fit_and_score(__import__("train").load_params())\n'),
        "not up to date",
    ),
    (
        # W&B run without the configuration.
        "mlflow-wandb-iris-params",
        lambda ref: ref.replace(', config={"C": C, "max_iter": MAX_ITER}', ""),
        "the run's config is",
    ),
]


@pytest.mark.slow
@pytest.mark.docker  # the sandbox fixture: Docker where it runs, else the host task venv
@pytest.mark.parametrize("name, mutate, reason", HALF_DONE, ids=[h[0] for h in HALF_DONE])
def test_half_done_translations_fail(sandbox, name, mutate, reason):
    task = load_task(CORPUS / name)
    program = mutate(task.solution)
    assert program != task.solution
    judgement = Judge(sandbox, DEFAULT_LIMITS)(task, program)
    assert not judgement.passed and judgement.check is not None, judgement.program.stderr
    assert reason in judgement.check.stderr
