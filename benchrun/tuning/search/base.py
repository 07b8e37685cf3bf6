"""What every search method is: the `SearchMethod` entry, and the parts methods share.

A search method turns a tune block's search space into trials. There are two kinds:

- **fixed points** (grid, random): `points(search, seed)` lists every configuration at
  plan time, in a stable order. Each is one trial unit whose id holds the configuration.
- **adaptive** (optuna, llm): the configurations are proposed while the search runs.
  `study(params, seed, mode, session)` makes one study per (data set, algorithm), an
  object with `ask(k)` (the configuration of trial k), `tell(k, result)` and
  `replay(config, result)` (a trial finished in an earlier run, before any `ask`: what a
  resumed search continues from), where `result` is the trial's summary (`best_value`,
  `stop_reason`, `peak_memory_mb`, ...; None: the trial failed). It may also have
  `ready(k)` (False: trial k cannot be asked until more trials end) and `close()`.
  Unit k holds only its index, `{"<method>_trial": k}`; its id holds the search itself
  (`unit_params`): the method's own options and the whole space, so two searches that
  could propose differently share no unit. `benchrun.tuning.feed` asks and tells, the
  same way on every executor.

A method is one module declaring one entry; a plugin registers it through the
entry-point group `benchrun.searches`:

    [project.entry-points."benchrun.searches"]
    first = "my_package.first:FIRST"
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from benchrun.registry import Entry, Int, Model, Number, Option, Word

MAX_POINTS = 1_000_000  # most configurations a search may plan

# What a sampling method takes: how many configurations, and ASHA to end weak trials early
# (benchrun.tuning.asha, on either executor; counted in evaluations).
SAMPLES = Option("samples", Int(1, MAX_POINTS), "configurations to try", 10)
SCHEDULER = (
    Option("scheduler", Word(("asha",)), "asha: end weak trials early (asynchronous successive halving)"),
    Option("grace_period", Int(1, 10**9), "ASHA: evaluations before a trial's first rung", 1),
    Option("reduction_factor", Number(1.01, 1000), "ASHA: at each rung, keep the best 1/reduction_factor", 4.0),
    Option("max_t", Int(1, 10**9), "ASHA: evaluations after which any trial ends", 1 << 30),
)
SHARED = frozenset(o.name for o in (SAMPLES, *SCHEDULER))  # not a method's own option


class Study(Protocol):
    """One adaptive search over one (data set, algorithm)."""

    def ask(self, index: int) -> dict[str, Any]: ...

    def tell(self, index: int, result: dict[str, Any] | None) -> None: ...

    def replay(self, config: dict[str, Any], result: dict[str, Any] | None) -> None: ...


@attrs.frozen(kw_only=True)
class Session:
    """What a study may use while its search runs, beyond the unit's params: `key` names
    the study (a hash), `units` maps its trial indices to unit ids, `block` is the live
    TuneSpec (a model option as its ModelSpec), `store` the results file (None without
    one), `use_cache` False under --no-cache, `cache_dir` the PMLB cache.
    `shared(name, make)`: the object the studies of one run share under `name` (made by
    `make()` on first use, closed after the run), e.g. one model runner for all."""

    key: str
    block: Any
    dataset: dict[str, Any]
    algorithm: str
    metric: str = "val_loss"
    stop: dict[str, Any] | None = None  # the trials' stop rule, as `rule_to_json` writes it
    units: dict[int, str]
    run_id: str = ""
    store: Any = None
    use_cache: bool = True
    cache_dir: str | None = None
    shared: Callable[[str, Callable[[], Any]], Any] = lambda name, make: make()


def objective(result: dict[str, Any] | None) -> float | None:
    """A trial's objective from its summary; None when it failed or had none."""
    value = (result or {}).get("best_value")
    return float(value) if value is not None and math.isfinite(float(value)) else None


@attrs.frozen(kw_only=True)
class SearchMethod(Entry):
    """`options`: what `method(...)` takes in a spec (SAMPLES and SCHEDULER are the
    shared ones). Exactly one of:
    `points(search, seed)` -> the configurations to train, in a stable order, where
    `search` is the block's `SearchSpec` (its space: `Values` or `Distribution` domains);
    `study(params, seed, mode, session)` -> a `Study`, where `params` is
    `unit_params(search)` as stored in the unit (plain JSON), `seed` the block's, `mode`
    min or max and `session` a `Session`.
    `finite`: takes lists of values only (a distribution is refused).
    `numbered`: two points may be equal, so each unit's id also holds its index (`draw`).
    `check(search)` -> a message when the search cannot be planned (e.g. too many points)."""

    points: Callable[[Any, int], list[dict[str, Any]]] | None = None
    study: Callable[[dict[str, Any], int, str, Session], Study] | None = None
    finite: bool = False
    numbered: bool = False
    check: Callable[[Any], str | None] | None = None

    def __attrs_post_init__(self) -> None:
        if (self.points is None) == (self.study is None):
            raise TypeError(f"search method {self.name}: give exactly one of points and study")

    @property
    def adaptive(self) -> bool:
        return self.study is not None

    @property
    def trial_key(self) -> str:
        """The configuration key that holds an adaptive search's trial index."""
        return trial_key(self.name)

    def trials(self, search: Any, seed: int) -> list[dict[str, Any]]:
        """What each trial unit holds as its configuration, in order: a point, or for an
        adaptive method the trial's index."""
        if self.points is None:  # adaptive: exactly one of points and study is given
            return [{self.trial_key: index} for index in range(search.samples)]
        return self.points(search, seed)

    def unit_params(self, search: Any) -> dict[str, Any]:
        """What of the search decides a trial's result beyond its configuration: the
        method and its scheduler (which may end any trial), and for an adaptive method
        its own options and the space, from which it proposes. Part of every trial's id."""
        options = dict(search.options)
        params: dict[str, Any] = {"method": search.method, "scheduler": scheduler_params(options)}
        if self.study is not None:
            for option in self.options:
                if option.name not in SHARED and option.affects_result:
                    value = options.get(option.name, option.default)
                    params[option.name] = model_params(value) if isinstance(option.type, Model) else value
            params["space"] = space_params(search.space)
        return params


def model_params(spec: Any) -> dict[str, Any] | None:
    """A model option as a unit's id holds it: the provider, model and the options that
    decide its answers (not where it is served or how long to wait)."""
    from benchrun.models.providers import result_options

    if spec is None:
        return None
    return {"provider": spec.kind, "model": spec.model, "options": result_options(spec)}


def trial_key(method: str) -> str:
    return f"{method}_trial"


def scheduler_params(options: dict[str, Any]) -> dict[str, Any] | None:
    """The scheduler's settings with their defaults, as a unit stores them; None: no scheduler."""
    if options.get("scheduler") != "asha":
        return None
    value = {o.name: options.get(o.name, o.default) for o in SCHEDULER}
    return {"kind": "asha", "grace_period": int(value["grace_period"]),
            "reduction_factor": float(value["reduction_factor"]), "max_t": int(value["max_t"])}


def space_params(space: Any) -> dict[str, Any]:
    """The space as plain JSON: {name: {kind, args}}; a list of values is a choice."""
    from benchrun.tuning.spec import Distribution

    return {
        p.name: {"kind": p.domain.kind, "args": list(p.domain.args)} if isinstance(p.domain, Distribution)
        else {"kind": "choice", "args": [list(p.domain.values)]}
        for p in space
    }


def draw(domain: Any, rng: Any) -> Any:
    """One value of a domain, from a `random.Random`: a list's item, or a distribution's draw."""
    from benchrun.tuning.spec import Values

    if isinstance(domain, Values):
        return rng.choice(domain.values)
    return draw_param({"kind": domain.kind, "args": list(domain.args)}, rng)


def draw_param(domain: dict[str, Any], rng: Any) -> Any:
    """`draw` for a domain as `space_params` writes it."""
    kind, args = domain["kind"], domain["args"]
    if kind == "uniform":
        return rng.uniform(*args)
    if kind == "loguniform":
        low, high = (math.log(a) for a in args)
        return math.exp(rng.uniform(low, high))
    if kind == "randint":
        return rng.randint(*args)
    return rng.choice(args[0])
