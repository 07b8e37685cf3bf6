"""The failure categories of a sample, declared once (benchrun.codegen.failures)."""
from __future__ import annotations

import re
from pathlib import Path

from benchrun.codegen.failures import FROM_MODEL, LIMITS, UNMEASURED, Failure
from benchrun.models import PROMPT_REASONS
from benchrun.sandboxes.base import CATEGORIES

RESULTS_DOC = Path(__file__).resolve().parents[2] / "docs" / "results.md"


def test_what_counts_in_n():
    assert {f for f in Failure if not f.counts_in_n} == UNMEASURED == {Failure.PROMPT, Failure.MODEL, Failure.SANDBOX}
    assert all(f.counts_in_n for f in (*LIMITS, *FROM_MODEL.values(), Failure.NO_CODE, Failure.CHECK_FAILED))


def test_the_model_and_sandbox_categories_are_theirs():
    assert set(FROM_MODEL) == set(PROMPT_REASONS)  # every answer the model would repeat has its category
    assert {str(f) for f in LIMITS} <= set(CATEGORIES)  # a limit keeps the sandbox's own name


def test_the_samples_table_docs_name_every_category_that_counts():
    """docs/results.md lists the values of `samples.failure`: every category a sample row can hold."""
    text = RESULTS_DOC.read_text()
    listed = text[text.index("`failure` (NULL when passed"):]
    listed = set(re.findall(r"`([a-z_]+)`", listed[: listed.index("`stdout_tail`")]))
    assert {str(f) for f in Failure if f.counts_in_n} <= listed
