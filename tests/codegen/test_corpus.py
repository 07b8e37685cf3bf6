"""The shipped translation corpus discriminates: every reference passes, every unmodified
input fails, and half-done translations fail too. On the host with the task venv
(/opt/taskenv, as validate_local uses), and in the real Docker sandbox."""
from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

from benchrun.codegen.tasks import RUN_ENV, load_paths, load_task, run_command, run_files
from benchrun.codegen.validate import DEFAULT_LIMITS, task_limits, validate_tasks
from benchrun.codegen.validate_local import TASKENV

CORPUS = Path(__file__).parents[2] / "tasks" / "translation"


def _taskenv_ready() -> bool:
    python = Path(TASKENV, "bin", "python3")
    if not python.exists():
        return False
    probe = subprocess.run([python, "-c", "import dvc, wandb, mlflow, git, sklearn"], capture_output=True)
    return probe.returncode == 0


needs_taskenv = pytest.mark.skipif(not _taskenv_ready(), reason=f"no task venv with dvc/wandb/mlflow at {TASKENV}")


# A few minutes of CPU per pass over the whole corpus: the tests take a representative
# part (CI validates every task with `benchrun tasks validate tasks/`).
ON_THE_HOST = [
    "gitpython-dvc-cancer-pipeline",  # two linked stages
    "gitpython-dvc-knn-model-tags",  # per-tag params, metrics and models
    "gitpython-dvc-linnerud-cli",  # the dvc command line
    "mlflow-wandb-argparse-artifact",  # a saved file
]


@pytest.mark.slow
@needs_taskenv
def test_translation_tasks_discriminate_on_the_host(host_runner):
    outcomes = validate_tasks(load_paths([CORPUS / name for name in ON_THE_HOST]), host_runner, jobs=2)
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
        lambda ref: ref.replace('    dvc.reproduce("train")\n', '    __import__("train").fit_and_score(__import__("train").load_params())\n'),
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
@needs_taskenv
@pytest.mark.parametrize("name, mutate, reason", HALF_DONE, ids=[h[0] for h in HALF_DONE])
def test_half_done_translations_fail(host_runner, name, mutate, reason):
    task = load_task(CORPUS / name)
    program = mutate(task.solution)
    assert program != task.solution
    result = host_runner.run(run_files(task, program), run_command(task), task_limits(task), RUN_ENV)
    assert result.exit_code == 1, result.stderr
    assert reason in result.stderr


@pytest.mark.docker
def test_translation_tasks_discriminate_in_docker():
    """One task of each pair in the real sandbox."""
    if importlib.util.find_spec("docker") is None:
        pytest.skip("the docker SDK is not installed")
    from benchrun.grammar.spec import SandboxSpec
    from benchrun.sandboxes import SandboxUnavailable, open_sandbox

    spec = SandboxSpec(backend="docker", memory_bytes=DEFAULT_LIMITS.memory_bytes, timeout_s=DEFAULT_LIMITS.timeout_s)
    try:
        sandbox = open_sandbox(spec, 2)
    except SandboxUnavailable as error:
        pytest.skip(f"no Docker sandbox here: {error}")
    tasks = load_paths([CORPUS / "gitpython-dvc-iris-script", CORPUS / "mlflow-wandb-mlp-epochs"])
    with sandbox:
        outcomes = validate_tasks(tasks, sandbox, jobs=2)
    assert {o.task.id: o.why for o in outcomes if not o.ok} == {}
