"""The docs of each part name every entry of its registries and every option they take:
a new entry or option that is not documented fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchrun.registry_index import load_all

DOCS = Path(__file__).resolve().parents[1] / "docs"
# extension point -> the page that documents it
PAGES = {
    "blocks": "extending.md",
    "providers": "models.md",
    "strategies": "models.md",
    "sandboxes": "sandbox.md",
    "judging": "cluster.md",
    "executors": "tuning.md",
    "searches": "tuning.md",
    "rules": "tuning.md",
    "algorithms": "tuning.md",
    "datasets": "tuning.md",
    "metrics": "tuning.md",
}


def test_every_extension_point_has_a_page():
    assert set(load_all()) <= set(PAGES)


@pytest.mark.parametrize("point", sorted(PAGES))
def test_every_entry_and_option_is_documented(point):
    registries = load_all()
    if point not in registries:
        pytest.fail(f"no registry {point}")
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", (DOCS / PAGES[point]).read_text()))
    missing = []
    for entry in registries[point]:
        if entry.name not in words:
            missing.append(entry.name)
        missing += [f"{entry.name}: {o.name}" for o in entry.options if o.name not in words]
    assert not missing, f"docs/{PAGES[point]} does not name: {', '.join(missing)}"
