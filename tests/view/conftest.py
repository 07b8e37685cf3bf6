"""Helpers live in view_fixtures.py, under a name of their own (every folder's conftest
would otherwise be the same module, `conftest`)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
