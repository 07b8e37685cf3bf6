"""Loading a spec file and its plan for a command, the one way every command does it."""
from __future__ import annotations

import sys

import click

from benchrun.codegen.tasks import TaskError
from benchrun.engine.plan import Plan, build_plan
from benchrun.grammar import SpecError, load_spec
from benchrun.grammar.errors import Diagnostic
from benchrun.grammar.spec import Loc


def spec_plan(path: str) -> Plan:
    """The plan of the spec at `path`; a task folder that cannot be read is a spec error
    too. Raises SpecError listing every mistake."""
    spec = load_spec(path)
    try:
        return build_plan(spec)
    except TaskError as error:
        raise SpecError([Diagnostic(Loc(path, 1, 1), f"task {error.path}: {problem}")
                         for problem in error.problems]) from None


def load_plan(path: str) -> Plan:
    """`spec_plan` for a command: on a mistake, print it and exit 1."""
    try:
        return spec_plan(path)
    except SpecError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
