"""The `benchrun` command.

The CLI is the top layer: each module of this package holds one group of commands, and
this one only assembles them, so `benchrun --help` lists everything and `benchrun SPEC`
is short for `benchrun run SPEC`.
"""
from __future__ import annotations

import importlib

import click

# (module, attribute) of every subcommand, loaded on first use so `benchrun --help`
# stays fast and a broken optional part cannot take the whole tool down.
COMMANDS = {
    "run": ("benchrun.cli.run", "run"),
    "check": ("benchrun.cli.inspect", "check"),
    "plan": ("benchrun.cli.inspect", "plan"),
    "plugins": ("benchrun.cli.inspect", "plugins"),
    "sql": ("benchrun.cli.report", "sql"),
    "runs": ("benchrun.cli.report", "runs"),
    "report": ("benchrun.cli.report", "report"),
    "export": ("benchrun.cli.report", "export"),
    "models": ("benchrun.cli.models", "models"),
    "sandbox": ("benchrun.cli.sandbox", "sandbox"),
    "tasks": ("benchrun.cli.tasks", "tasks"),
    "view": ("benchrun.cli.view", "view"),
}


class BenchGroup(click.Group):
    """A group whose unknown first argument, when it names a spec, means `run`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


@click.group(
    cls=BenchGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  benchrun specs/translation.bench        run a spec (same as `benchrun run ...`)
  benchrun check specs/*.bench            validate specs, report every mistake
  benchrun plan specs/tuning.bench        show what a spec expands to
  benchrun sql "SELECT * FROM pass_at_k"  query the results
  benchrun view                           browse the results on http://127.0.0.1:8765/
""",
)
@click.version_option(package_name="benchrun")
def cli() -> None:
    """benchrun: declarative benchmarks of LLM code adaptation and system-aware tuning.

    Write an experiment once in a .bench file; benchrun plans it, runs it in sandboxes
    and on Ray Tune, and writes every result to one DuckDB file you query with SQL.
    """


def main() -> None:
    cli(prog_name="benchrun")


if __name__ == "__main__":
    main()
