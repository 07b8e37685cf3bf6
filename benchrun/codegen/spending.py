"""A benchmark block's budget within one `benchrun run`.

A request reserves its worst case before it is sent (its prompt, estimated, plus
max_tokens for every completion asked for) and settles at what the server reported, so
requests in flight together can never overrun the budget. Cached completions cost
nothing. The budget is per invocation: a resume starts from zero, so raising the budget
and running again finishes what the last run left, without repeating what it paid for.
"""
from __future__ import annotations

import threading

from benchrun.codegen.spec import Budget
from benchrun.models import ModelError
from benchrun.models.prices import Price, cost_usd

BUDGET = "budget"  # the ModelError reason of a request the budget refused


class Spending:
    def __init__(self, budget: Budget | None):
        self.budget = budget
        self.spent = 0.0
        self.refused = 0  # requests not sent
        self._reserved = 0.0
        self._lock = threading.Lock()

    def amount(self, price: Price | None, tokens_in: int, tokens_out: int) -> float:
        """In the budget's unit; a model without a price costs no dollars."""
        if self.budget is not None and self.budget.unit == "tokens":
            return float(tokens_in + tokens_out)
        return cost_usd(price, tokens_in, tokens_out) or 0.0

    def reserve(self, price: Price | None, tokens_in: int, tokens_out: int) -> float:
        """Hold the worst case of a request about to be sent, or raise ModelError("budget")."""
        amount = self.amount(price, tokens_in, tokens_out)
        with self._lock:
            if self.budget is not None and self.spent + self._reserved + amount > self.budget.amount:
                self.refused += 1
                raise ModelError(BUDGET, f"not sent: it may cost up to {self.budget.shown(amount)}, and "
                                         f"{self.budget.shown(self.spent + self._reserved)} of the budget of "
                                         f"{self.budget.shown()} is spent or held")
            self._reserved += amount
        return amount

    def settle(self, reserved: float, spent: float) -> None:
        with self._lock:
            self._reserved -= reserved
            self.spent += spent

    def note(self, block: str) -> str | None:
        """What to tell the user when the budget stopped requests."""
        if not self.refused or self.budget is None:
            return None
        return (f'benchmark "{block}": the budget of {self.budget.shown()} stopped {self.refused} model requests '
                f"({self.budget.shown(self.spent)} spent); their units are incomplete: raise `budget` and run "
                "again to finish them (cached completions are not paid again)")
