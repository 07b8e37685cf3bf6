"""`benchrun view`: the results file in a browser, served on loopback.

`data` reads the file (read-only, one short connection per request, so it works while a
run writes), `tasks` finds a sample's task to diff its program against, `charts` builds
the Plotly figures, and `app` is the Starlette application with its Jinja2 templates.
"""
from __future__ import annotations

from benchrun.view.app import create_app

__all__ = ["create_app"]
