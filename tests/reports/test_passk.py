"""pass@k against the textbook estimator 1 - C(n-c, k) / C(n, k) in exact fractions."""
from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb

import duckdb
import pytest

from benchrun.reports import mean_pass_at_k, pass_at_k
from benchrun.storage import Store


def reference(n: int, c: int, k: int) -> float | None:
    if n < k:
        return None
    return float(1 - Fraction(comb(n - c, k), comb(n, k)))


CASES = [
    (n, c, k)
    for n, k in itertools.product([0, 1, 2, 3, 5, 7, 10, 20, 50, 200], [1, 3, 5, 10])
    for c in sorted({0, 1, n // 3, n // 2, n - 1, n} - {-1})
    if 0 <= c <= n
]


def test_cases_cover_the_edges():
    assert any(n < k for n, c, k in CASES)
    assert any(n - c < k <= n for n, c, k in CASES)  # certain success
    assert any(c == 0 and n >= k for n, c, k in CASES)


@pytest.mark.parametrize("n,c,k", CASES)
def test_python_estimator_matches_reference(n, c, k):
    expected = reference(n, c, k)
    got = pass_at_k(n, c, k)
    if expected is None:
        assert got is None  # undefined, not 1.0
    else:
        assert got == pytest.approx(expected, abs=1e-12)


def test_sql_macro_matches_reference(tmp_path):
    Store(tmp_path / "r.duckdb")
    con = duckdb.connect(str(tmp_path / "r.duckdb"))
    rows = con.execute(
        "SELECT n, c, k, pass_at(n, c, k) FROM (SELECT unnest(?::INTEGER[]) n, unnest(?::INTEGER[]) c, unnest(?::INTEGER[]) k)",
        [[x[0] for x in CASES], [x[1] for x in CASES], [x[2] for x in CASES]],
    ).fetchall()
    con.close()
    assert len(rows) == len(CASES)
    for n, c, k, got in rows:
        expected = reference(n, c, k)
        if expected is None:
            assert got is None, (n, c, k)
        else:
            assert got == pytest.approx(expected, abs=1e-12), (n, c, k)


def test_bad_counts_are_rejected():
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 0)


def test_mean_leaves_undefined_tasks_out():
    assert mean_pass_at_k([(10, 10), (10, 0), (2, 1)], k=3) == pytest.approx(0.5)
    assert mean_pass_at_k([(2, 1)], k=3) is None
