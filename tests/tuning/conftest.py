"""Fixtures live in tuning_fixtures.py, under a name of their own: test modules import its helpers,
and every folder's conftest would otherwise be the same module name, `conftest`."""
from tuning_fixtures import *  # noqa: F401,F403
