"""Block keys are registry Options bound by one binder (`Statements`): a block kind
declares its keys once, and every kind gets the same checks, messages and defaults."""
from __future__ import annotations

import attrs
import pytest

from benchrun.codegen.block import BENCHMARK
from benchrun.grammar.parser import parse_module
from benchrun.grammar.validate import Context, Statements
from benchrun.registry import Duration, Flag, Int, Option, Several, Size, Structured, Word
from benchrun.tuning.block import TUNE

# The keys of a block kind that is neither benchmark nor tune: every simple type.
KEYS = (
    Option("rounds", Int(1, 10), "rounds", required=True),
    Option("timeout", Duration(), "per round", default=60.0),
    Option("memory", Size(), "per round", default=1 << 30),
    Option("verbose", Flag(), "talk", default=False),
    Option("mode", Word(("fast", "slow")), "how", default="fast"),
    Option("ports", Several(Int(1, 65535), "port"), "where", default=(8080,)),
    Option("notes", Structured("NAME ...", repeatable=True), "free text, read by the kind itself"),
)


def bound(ws, body: str) -> tuple[dict, list[tuple[int, int, str]], Statements]:
    path = str(ws.path("keys.bench"))
    block = parse_module(f'probe "p" {{\n{body}\n}}\n', path).items[0]
    ctx = Context(path, str(ws.root / "specs"))
    stmts = Statements(ctx, block, KEYS)
    return stmts.bind(), [(e.loc.line, e.loc.column, e.message) for e in ctx.errors], stmts


def test_a_block_kind_of_its_own_gets_checked_values_and_declared_defaults(ws):
    values, errors, stmts = bound(ws, "  rounds 3\n  memory 512MiB\n  ports [80, 443]\n  notes a\n  notes b")
    assert errors == []
    assert values == {"rounds": 3, "timeout": 60.0, "memory": 512 << 20, "verbose": False, "mode": "fast",
                      "ports": (80, 443)}
    assert len(stmts.all("notes")) == 2  # repeatable, and left to the kind's own checker


@pytest.mark.parametrize("body, expected, left_out", [
    ("  rounds 3\n  timout 5s", [(3, 3, "unknown key 'timout' in probe block (did you mean 'timeout'?)")], set()),
    ("  rounds 3\n  rounds 4", [(3, 3, "'rounds' is set twice in this block (first on line 2)")], set()),
    ("  mode fast", [(1, 1, "probe \"p\" is missing 'rounds'")], {"rounds"}),
    ("  rounds 3\n  timeout 5", [(3, 11, "timeout needs a unit, e.g. 5s or 5ms")], {"timeout"}),
    ("  rounds 3\n  memory 5qb", [(3, 10, "unknown unit 'qb' in '5qb'; durations use ms, s, m, h and sizes B, KB, MB, "
                                         "GB, KiB, MiB, GiB")], {"memory"}),
    ("  rounds 3\n  verbose maybe", [(3, 11, "verbose must be on/off or true/false, got the name 'maybe'")], {"verbose"}),
    ("  rounds 11", [(2, 10, "rounds must be at most 10, got 11")], {"rounds"}),
    ("  rounds 3\n  mode fats", [(3, 8, "unknown mode 'fats' (did you mean 'fast'?); choose one of fast, slow")], {"mode"}),
    ("  rounds 3\n  ports []", [(3, 9, "ports is an empty list")], {"ports"}),
    # every wrong item of a list is reported, each where it is
    ("  rounds 3\n  ports [0, 80, 80, \"x\"]", [(3, 10, "port must be at least 1, got 0"),
                                               (3, 17, "port '80' is listed twice"),
                                               (3, 21, 'port must be a whole number, got the string "x"')], {"ports"}),
])
def test_a_block_kind_of_its_own_gets_the_same_messages(ws, body, expected, left_out):
    values, errors, _ = bound(ws, body)
    assert errors == expected
    # a key with a wrong value (or missing) is left out, so nothing is checked against it
    assert set(values) == {o.name for o in KEYS if not isinstance(o.type, Structured)} - left_out


def _simple(kind):
    return {o.name: o.default for o in kind.options if not isinstance(o.type, Structured) and not o.required}


def test_a_benchmark_that_sets_nothing_optional_gets_the_declared_defaults(ws):
    spec = ws.parse('benchmark "b" {\n  tasks "../tasks/demo/*"\n  models [oracle]\n}\n').blocks[0]
    declared = {o.name: o.default for o in BENCHMARK.options}
    assert _simple(BENCHMARK) == {"instructions": spec.levels, "samples": spec.samples,
                                  "temperature": spec.temperature, "max_tokens": spec.max_tokens,
                                  "seed": spec.seed, "concurrency": spec.concurrency}
    assert (spec.scores, spec.sandbox, spec.executor) == (declared["score"], declared["sandbox"], declared["executor"])
    assert [s.name for s in spec.strategies] == [declared["strategies"]]


def test_a_tune_block_that_sets_nothing_optional_gets_the_declared_defaults(ws):
    spec = ws.parse('tune "t" {\n  datasets [sklearn("iris")]\n  algorithms svm\n  grid { batch_size = [32] }\n}\n').blocks[0]
    declared = {o.name: o.default for o in TUNE.options}
    assert _simple(TUNE) == {"epochs": spec.epochs, "seed": spec.seed, "updates": spec.updates}
    assert spec.algorithms == ("svm",)
    assert (spec.split, spec.evaluate_every, (spec.metric, spec.mode), spec.executor) == (
        declared["split"], declared["evaluate"], declared["metric"], declared["executor"])


def test_a_changed_declaration_changes_what_a_spec_gets(ws, monkeypatch):
    """The declaration is the only place a default lives: changing it there changes the spec."""
    import benchrun.codegen.block as block

    keys = tuple(attrs.evolve(o, default=7) if o.name == "samples" else o for o in block.KEYS)
    monkeypatch.setattr(block, "KEYS", keys)
    spec = ws.parse('benchmark "b" {\n  tasks "../tasks/demo/*"\n  models [oracle]\n}\n').blocks[0]
    assert spec.samples == 7
    errors = ws.errors('benchmark "b" {\n  tasks "../tasks/demo/*"\n  models [oracle]\n  score pass@8\n}\n')
    assert [e.message for e in errors] == ["pass@8 needs at least 8 samples per task, but samples is 7"]


def test_every_key_of_both_block_kinds_is_declared_once():
    for kind in (BENCHMARK, TUNE):
        names = [o.name for o in kind.options]
        assert len(names) == len(set(names)), kind.name
        assert all(o.doc for o in kind.options), kind.name
