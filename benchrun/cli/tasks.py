"""`benchrun tasks`: list the task corpus and validate that every task discriminates."""
from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from benchrun.codegen.sources import load_paths
from benchrun.codegen.tasks import TaskError

DEFAULT_PATHS = ("tasks",)


def _console() -> Console:
    # Piped output (CI logs) would otherwise be squeezed into 80 columns.
    return Console() if sys.stdout.isatty() else Console(width=200)


@click.group("tasks")
def tasks() -> None:
    """The benchmark tasks: list them, validate them."""


def _load(paths: tuple[str, ...]):
    try:
        return load_paths(paths or DEFAULT_PATHS)
    except TaskError as error:
        raise click.ClickException(str(error)) from None


@tasks.command("list")
@click.argument("paths", nargs=-1, type=click.Path())
def list_tasks(paths: tuple[str, ...]) -> None:
    """List the tasks under PATHS (task folders, suite folders or HumanEval JSONL files;
    default: tasks/)."""
    loaded = _load(paths)
    table = Table(title=f"{len(loaded)} tasks")
    table.add_column("id", no_wrap=True)
    for column in ("kind", "functionality", "components", "entry"):
        table.add_column(column)
    for task in loaded:
        joiner = " -> " if task.kind == "translate" else ", "
        table.add_row(task.id, task.kind, task.functionality, joiner.join(task.components), task.entry)
    _console().print(table)


@tasks.command("leak")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--names", is_flag=True, help="Also list the API names each level writes as code.")
def leak(paths: tuple[str, ...], names: bool) -> None:
    """How much of each task's solution its instructions give away: of the API names the
    reference adds over the input, the share each level (brief, detailed) writes as code.
    Exits 1 if a task has no brief or its brief names more than 25 % of them (no sandbox
    runs; `validate` checks the same and runs the programs).

    Example: benchrun tasks leak tasks/inlining --names"""
    loaded = [task for task in _load(paths) if task.kind != "humaneval"]
    bad = _print_leaks(loaded, names)
    if bad:
        click.echo(f"{len(bad)} of {len(loaded)} tasks: {'; '.join(bad)}", err=True)
        sys.exit(1)


def _print_leaks(loaded, names: bool = False) -> list[str]:
    """Print the leak table and the corpus's share per level; the problems, one per task."""
    from benchrun.codegen.leak import BRIEF_LIMIT, Leak, corpus_leaks, task_leaks

    table = Table(title=f"API names the reference adds that the instruction writes as code (brief: at most "
                        f"{BRIEF_LIMIT:.0%})")
    for column in ("task", "added", "brief", "detailed", *(("brief names", "detailed names") if names else ())):
        table.add_column(column, no_wrap=column == "task", overflow="fold")
    every: list[Leak] = []
    problems: list[str] = []
    for task in loaded:
        leaks = {leak.level: leak for leak in task_leaks(task)}  # in this thread: ast.parse is not thread-safe here
        every.extend(leaks.values())
        shown = {level: f"{len(x.named)} ({x.share:.0%})" for level, x in leaks.items()}
        brief = leaks.get("brief")
        if brief is None:
            problems.append(f"{task.id} has no brief")
        elif brief.too_much:
            problems.append(f"{task.id}'s brief names {', '.join(sorted(brief.named))}")
            shown["brief"] = f"[red]{shown['brief']}[/]"
        listed = [", ".join(sorted(leaks[level].named)) if level in leaks else "" for level in ("brief", "detailed")]
        added = len(next(iter(leaks.values())).added) if leaks else 0
        table.add_row(task.id, str(added), shown.get("brief", "[red]none[/]"), shown.get("detailed", ""),
                      *(listed if names else ()))
    console = _console()
    console.print(table)
    for corpus in corpus_leaks(every):
        console.print(f"{corpus.level}: the instructions write {corpus.named} of the {corpus.added} API names the "
                      f"references add as code ({corpus.share:.1%})", soft_wrap=True)
    return problems


@tasks.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--sandbox", "backend", type=click.Choice(["docker", "local"]), default="docker", show_default=True,
              help="docker: the real sandbox; local: a temp dir on this host with the task venv (no isolation).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True, help="Tasks run at once.")
@click.option("--image", default=None, help="Sandbox image (docker; default: the benchrun sandbox image).")
@click.option("--warm/--cold", default=None, help="docker: programs and judges that import the ML libraries in forks "
              "of preloaded interpreters (warm_judge, warm_program: the default), or all cold (see docs/sandbox.md).")
def validate(paths: tuple[str, ...], backend: str, jobs: int, image: str | None, warm: bool | None) -> None:
    """Check that every task under PATHS discriminates, four ways: its reference solution
    passes, its unmodified input fails, each committed mutant (mutants/*, at least two)
    fails and each committed alternative (alternatives/*, at least two) passes; and that
    its brief instruction gives little away (as `benchrun tasks leak`). Exits 1 if any
    task does not.

    Example: benchrun tasks validate tasks/translation -j 2"""
    from benchrun.codegen.validate import validate_tasks

    loaded = _load(paths)
    err = Console(stderr=True)
    if warm and backend != "docker":
        raise click.UsageError("--warm needs --sandbox docker")
    warm = backend == "docker" and warm is not False
    err.print(f"validating {len(loaded)} tasks in the {backend} sandbox{' (warm)' if warm else ''}, {jobs} at a time")
    done = [0]

    def progress(outcome) -> None:
        done[0] += 1
        mark = "[green]ok[/]" if outcome.ok else "[red]does not discriminate[/]"
        err.print(f"[{done[0]}/{len(loaded)}] {outcome.task.id}: {mark}")

    leaking = _print_leaks([task for task in loaded if task.kind != "humaneval"])
    with _open_sandbox(backend, jobs, image, warm) as sandbox:
        outcomes = validate_tasks(loaded, sandbox, jobs=jobs, progress=progress)
    _console().print(_outcome_table(outcomes))
    bad = [o for o in outcomes if not o.ok]
    if bad:
        click.echo(f"{len(bad)} of {len(outcomes)} tasks do not discriminate", err=True)
    else:
        click.echo(f"all {len(outcomes)} tasks discriminate", err=True)
    if leaking:
        click.echo(f"{len(leaking)} tasks give too much away: {'; '.join(leaking)}", err=True)
    if bad or leaking:
        sys.exit(1)


def _open_sandbox(backend: str, jobs: int, image: str | None, warm: bool = False):
    if backend == "local":
        from benchrun.codegen.validate_local import HostRunner

        return HostRunner()
    from benchrun.codegen.validate import DEFAULT_LIMITS
    from benchrun.grammar.spec import SandboxSpec
    from benchrun.sandboxes import SandboxUnavailable, open_sandbox

    limits = DEFAULT_LIMITS
    spec = SandboxSpec(
        backend=backend, timeout_s=limits.timeout_s, memory_bytes=limits.memory_bytes, cpus=limits.cpus,
        pids=limits.pids, network=limits.network, output_bytes=limits.output_bytes, image=image,
        warm_judge=warm, warm_program=warm,
    )
    try:
        return open_sandbox(spec, jobs)
    except SandboxUnavailable as error:
        raise click.ClickException(str(error)) from None


def _outcome_table(outcomes) -> Table:
    table = Table(title="task validation: reference passes, input fails, mutants fail, alternatives pass")
    table.add_column("task", no_wrap=True)
    table.add_column("reference")
    table.add_column("input")
    table.add_column("mutants failed")
    table.add_column("alternatives passed")
    table.add_column("verdict")
    table.add_column("why", overflow="fold")
    for o in outcomes:
        seconds = o.reference.program.duration_s + (o.reference.check.duration_s if o.reference.check else 0)
        mutants = sum(not j.passed and j.check is not None for j in o.mutants.values())
        alternatives = sum(j.passed for j in o.alternatives.values())
        table.add_row(
            o.task.id, f"{'pass' if o.reference.passed else 'FAIL'} {seconds:.1f}s",
            "PASS" if o.baseline.passed else "fail", f"{mutants}/{len(o.mutants)}",
            f"{alternatives}/{len(o.alternatives)}", "[green]ok[/]" if o.ok else "[red]bad[/]", o.why,
        )
    return table
