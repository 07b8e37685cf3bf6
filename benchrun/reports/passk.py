"""pass@k, the unbiased estimator of Chen et al. (2021), "Evaluating Large Language
Models Trained on Code": the probability that at least one of k samples drawn without
replacement from n generated samples, c of them correct, passes.

    pass@k = 1 - C(n - c, k) / C(n, k) = 1 - prod_{i = n-c+1}^{n} (1 - k / i)

The product form avoids the huge binomials. The `pass_at` SQL macro in codegen/views.sql is
the same formula; this module is the Python twin used by tests and reports.
"""
from __future__ import annotations

from collections.abc import Iterable


def pass_at_k(n: int, c: int, k: int) -> float | None:
    """pass@k for n samples of which c passed; None (undefined) when n < k."""
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if n < k:
        return None
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def mean_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float | None:
    """Mean pass@k over tasks given (n, c) per task, leaving out undefined tasks."""
    values = [v for v in (pass_at_k(n, c, k) for n, c in counts) if v is not None]
    return sum(values) / len(values) if values else None
