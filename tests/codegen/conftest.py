"""Fixtures live in task_fixtures.py, under a name of their own: test modules import its helpers,
and every folder's conftest would otherwise be the same module name, `conftest`."""
from task_fixtures import *  # noqa: F401,F403
