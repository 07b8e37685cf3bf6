"""Third-party tuning parts: a search method, an adaptive search method and a stop rule,
each a few lines in one module registered through entry points (`benchrun.searches`,
`benchrun.rules`), with no benchrun file edited. The grammar accepts them, the plan uses
them, and a real `benchrun run` trains with them on the local pool and on Ray."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from benchrun.grammar import SpecError, parse_text
from benchrun.tuning.rules import RULES, TrialRules
from benchrun.tuning.search import SEARCHES

ROOT = Path(__file__).resolve().parents[2]

PLUGIN = '''
"""Toy tuning plugins (each entry: what a third party writes)."""
from benchrun.registry import Int, Number, Option
from benchrun.tuning.rules import StopRule, metric_option
from benchrun.tuning.search import SAMPLES, SearchMethod


def _first(search, seed):
    return [{p.name: p.domain.values[0] for p in search.space}]


FIRST = SearchMethod(name="first", doc="only the first value of every parameter", points=_first, finite=True)


class _Ladder:  # adaptive: trial k is asked the k-th value of each list
    def __init__(self, params, seed, mode, session):
        self.lists, self.told, self.replayed = {n: d["args"][0] for n, d in params["space"].items()}, {}, []

    def ask(self, index):
        return {name: values[index % len(values)] for name, values in self.lists.items()}

    def tell(self, index, result):
        self.told[index] = result

    def replay(self, config, result):
        self.replayed.append((config, result))


LADDER = SearchMethod(name="ladder", doc="trial k: the k-th value of each list", options=(SAMPLES,), study=_Ladder)


class _Plateau:
    def __init__(self, args, objective, mode):
        self.metric, self.window, self.tolerance, self.seen = args["metric"], args["window"], args["tolerance"], []

    def fires(self, result):
        if result.get(self.metric) is None:
            return False
        self.seen = (self.seen + [result[self.metric]])[-self.window:]
        return len(self.seen) == self.window and max(self.seen) - min(self.seen) <= self.tolerance


PLATEAU = StopRule(name="plateau", doc="the last `window` values lie within `tolerance` of each other",
                   options=(metric_option(), Option("window", Int(2), "evaluations", 3),
                            Option("tolerance", Number(0.0), "largest spread", 0.0)),
                   start=_Plateau)
'''

ENTRY_POINTS = """\
[benchrun.searches]
first = toy_tuning:FIRST
ladder = toy_tuning:LADDER

[benchrun.rules]
plateau = toy_tuning:PLATEAU
"""


@pytest.fixture
def plugin(tmp_path, monkeypatch) -> Path:
    """An installed distribution (a dist-info with entry points) holding the toy module."""
    site = tmp_path / "site"
    info = site / "toy_tuning-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-tuning\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    (site / "toy_tuning.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(site))
    yield site
    for registry, names in ((SEARCHES, ("first", "ladder")), (RULES, ("plateau",))):
        for name in names:  # loaded entries stay cached in the process: forget them
            registry._loaded.pop(name, None)
    sys.modules.pop("toy_tuning", None)


def block_text(name: str, search: str, executor: str = "local(max_concurrent = 1)") -> str:
    return f"""
tune "{name}" {{
  datasets    [sklearn("iris")]
  algorithms  [logistic_regression]
  {search}
  epochs      3
  evaluate    every 2 steps
  stop        when plateau(val_loss, window = 3, tolerance = 1000)
  executor    {executor}
}}
"""


def test_plugins_are_named_planned_and_checked_like_built_ins(tmp_path, plugin):
    from benchrun.tuning.plan import rule_to_json, trial_units

    assert SEARCHES.names()[-2:] == ("first", "ladder") and "plateau" in RULES.names()
    spec = parse_text(block_text("a", "first { batch_size = [16, 64]\n learning_rate = [0.01, 0.1] }")
                      + block_text("b", "ladder(samples = 3) { learning_rate = [0.1, 0.01, 0.001] }"),
                      str(tmp_path / "t.bench"))
    first, ladder = spec.blocks
    (unit,) = trial_units(first)  # one point: the first value of each list
    assert unit.params["config"] == {"alpha": 1e-4, "batch_size": 16, "learning_rate": 0.01}
    assert unit.params["search"] == {"method": "first", "scheduler": None}
    units = trial_units(ladder)  # an adaptive search: the index, and the search in the id
    assert [u.params["config"]["ladder_trial"] for u in units] == [0, 1, 2]
    assert units[0].params["search"]["space"] == {"learning_rate": {"kind": "choice", "args": [[0.1, 0.01, 0.001]]}}
    rule = TrialRules(rule_to_json(first.stop))
    assert [rule.check({"val_loss": v}) for v in (1.0, 2.0, 3.0)] == [
        None, None, "plateau(val_loss, window = 3, tolerance = 1000)"]

    with pytest.raises(SpecError) as caught:  # their own declarations are checked too
        parse_text(block_text("c", "first { learning_rate = loguniform(0.001, 0.1) }").replace("window = 3", "window = 1"),
                   str(tmp_path / "t.bench"))
    assert [e.message for e in caught.value.errors] == [
        "a first needs a finite list of values; loguniform(...) is sampled, so use random(...) or optuna(...) or llm(...) or ladder(...)",
        "window must be at least 2, got 1",
    ]


def test_without_the_plugin_its_names_are_unknown(tmp_path):
    with pytest.raises(SpecError) as caught:
        parse_text(block_text("a", "first { learning_rate = [0.1] }"), str(tmp_path / "t.bench"))
    assert [e.message for e in caught.value.errors] == [
        "unknown search method 'first'; searches: grid, random, optuna, llm",
        "unknown stop rule 'plateau'; rules: no_improvement, predicted_worse, llm (or write a comparison such as memory_mb > 512)",
    ]


@pytest.mark.slow
@pytest.mark.ray  # the run starts its own local Ray
def test_a_run_trains_with_the_plugins_on_the_local_pool_and_on_ray(tmp_path, plugin):
    pytest.importorskip("ray")
    spec = tmp_path / "plugins.bench"
    spec.write_text(block_text("first-local", "first { batch_size = [16, 64]\n learning_rate = [0.01] }")
                    + block_text("ladder-local", "ladder(samples = 3) { learning_rate = [0.1, 0.01, 0.001] }")
                    + block_text("ladder-ray", "ladder(samples = 2) { learning_rate = [0.1, 0.01] }",
                                 "ray(cpus_per_trial = 1, max_concurrent = 1)"))
    db = tmp_path / "r.duckdb"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(plugin)])}
    code = "from benchrun.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "run", str(spec), "--db", str(db)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT block, params, summary FROM units WHERE kind = 'trial' AND status = 'done'").fetchall()
    by_block: dict[str, list] = {}
    for block, params, summary in rows:
        by_block.setdefault(block, []).append((json.loads(params), json.loads(summary)))
    assert {b: len(v) for b, v in by_block.items()} == {"first-local": 1, "ladder-local": 3, "ladder-ray": 2}
    assert by_block["first-local"][0][1]["config"]["batch_size"] == 16
    for block in ("ladder-local", "ladder-ray"):  # each trial trained what the study proposed for its index
        trained = sorted((p["config"]["ladder_trial"], s["config"]["learning_rate"]) for p, s in by_block[block])
        assert trained == list(enumerate([0.1, 0.01, 0.001][: len(trained)]))
    for block, trials in by_block.items():
        for _, summary in trials:  # at its third evaluation (steps 2, 4, 6), on both executors
            assert summary["stop_reason"] == "plateau(val_loss, window = 3, tolerance = 1000)", block
            assert summary["stopped_at_step"] == 6 < summary["total_steps"], block
