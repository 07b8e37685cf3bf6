"""What model tokens cost: a small table of hosted models, overridden by a spec's
`price = [input, output]`, in US dollars per million tokens.

The table is a convenience, not a quote: prices change, so a spec that must be right
states its own. A model with no price here or in the spec (a local model, a server of
your own) costs nothing in dollars; its tokens still count.
"""
from __future__ import annotations

from typing import Any

Price = tuple[float, float]  # USD per million (prompt, completion) tokens

# OpenAI's list prices (standard tier), as of 2025.
HOSTED: dict[str, Price] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
    "gpt-3.5-turbo": (0.50, 1.50),
}


def price_of(spec: Any) -> Price | None:
    """A ModelSpec's `price`, else the table's for a model of OpenAI's own API (no base_url)."""
    options = dict(spec.options)
    if options.get("price") is not None:
        given = options["price"]
        return float(given[0]), float(given[1])
    if spec.kind == "openai" and not options.get("base_url"):
        return HOSTED.get(str(spec.model))
    return None


def cost_usd(price: Price | None, tokens_in: int | None, tokens_out: int | None) -> float | None:
    if price is None:
        return None
    return ((tokens_in or 0) * price[0] + (tokens_out or 0) * price[1]) / 1e6
