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
# extension point -> the page that documents its entries' options, where not PAGES's
OPTION_PAGES = {"blocks": "language.md"}  # a block kind's options are its keys


def test_every_extension_point_has_a_page():
    assert set(load_all()) <= set(PAGES)


@pytest.mark.parametrize("point", sorted(PAGES))
def test_every_entry_and_option_is_documented(point):
    registries = load_all()
    if point not in registries:
        pytest.fail(f"no registry {point}")
    words = _words(PAGES[point])
    option_words = _words(OPTION_PAGES.get(point, PAGES[point]))
    missing = []
    for entry in registries[point]:
        if entry.name not in words:
            missing.append(entry.name)
        missing += [f"{entry.name}: {o.name}" for o in entry.options if o.name not in option_words]
    assert not missing, f"docs/{PAGES[point]} does not name: {', '.join(missing)}"


def _words(page: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", (DOCS / page).read_text()))


@pytest.mark.parametrize("kind", ["benchmark", "tune"])
def test_a_block_kinds_key_table_lists_its_declared_keys_and_defaults(kind):
    """docs/language.md's table of a block's keys has a row per declared key, in
    declaration order, and each row's default is the declared one, as a spec writes it."""
    from benchrun.blocks import BLOCKS

    text = (DOCS / "language.md").read_text()
    section = text[text.index(f"## `{kind}` blocks"):]
    lines = section[section.index("| key |"):].splitlines()[2:]  # after the header and its rule
    rows = lines[:next(i for i, line in enumerate(lines) if not line.startswith("|"))]
    documented: dict[str, str] = {}
    for row in rows:
        key, _value, default = (cell.strip() for cell in row.strip("|").split(" | ", 2))
        name = "search" if key.startswith("a search space") else re.match(r"`(\w+)`", key).group(1)
        documented[name] = default
    options = BLOCKS.get(kind).options
    assert list(documented) == [o.name for o in options]
    for option in options:
        shown = re.search(r"default (.*?)(?: — |$)", option.describe())
        written = re.match(r"`([^`]*)`", documented[option.name])
        if shown is None:
            assert written is None, f"{kind} {option.name}: docs give a default, the declaration none"
        else:
            assert written is not None and written.group(1).strip("[]") == shown.group(1), \
                f"{kind} {option.name}: docs say {documented[option.name]}, the declaration {shown.group(1)}"
