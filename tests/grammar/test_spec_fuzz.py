"""Fuzzing: random and mutated specs may be rejected, but only ever with a SpecError."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchrun.grammar import SpecError, parse_text

SPECS = Path(__file__).resolve().parents[2] / "specs"
EXTRA = '''
model gpt = openai("gpt-4o-mini", base_url = "http://127.0.0.1:1/v1", timeout = 30s)
sandbox strict = docker(timeout = 500ms, memory = 512MiB, cpus = 1.5, network = on)
dataset table = csv("../data/table.csv", target = "y", task = regression)
benchmark "all" {
  tasks ["../tasks/demo/*", humaneval("../data/he.jsonl")]
  models [gpt, local(model = "../data/model.gguf"), identity]
  strategies [zero_shot, docprompt(docs = "dvc"), retrieval(top_k = 3)]
  samples 4
  score [pass@1, pass@4]
  use strict
}
tune "sampled" {
  datasets [sklearn("iris"), synthetic(rows = 100, features = 3, task = classification)]
  algorithms [svm, logistic_regression]
  random(samples = 4) { batch_size = randint(1, 64) learning_rate = loguniform(1e-4, 1e-1) }
  stop when (memory_mb > 1GiB and cpu_pct >= 90) or no_improvement(val_loss, evaluations = 2)
  split test = 0.2, cv = 3
  metric accuracy max
  use table
}
'''.replace("} learning_rate", "}\n learning_rate").replace(") learning_rate", ")\n learning_rate")
SEEDS = [(SPECS / name).read_text().replace("../tasks/translation/", "../tasks/demo/").replace("../tasks/inlining/", "../tasks/demo/")
         for name in ("translation.bench", "inlining.bench", "tuning-quick.bench", "tuning.bench")] + [EXTRA]
TOKEN = re.compile(r'\s+|"[^"\n]*"|[A-Za-z_][A-Za-z0-9_]*|-?[0-9][0-9.eE+-]*[A-Za-z]*|\*\*|\.\.|[<>=!]=|.', re.S)
SEED_TOKENS = [TOKEN.findall(text) for text in SEEDS]
VOCABULARY = sorted({t for tokens in SEED_TOKENS for t in tokens if t.strip()}) + [
    "{", "}", "(", ")", "[", "]", ",", "=", "@", "..", "**", "\n", "#", '"', "-", "1e999", "9" * 5000,
    "0", "-1", "1 .. 100000000", "2 ** (1 .. 5000)", "0 ** (-1 .. 1)", "\\", "\t", "\r", "\x00", "é", "when", "or",
]

# How many examples: the Hypothesis profile's (tests/conftest.py: a quick draw by default,
# 2500 per test in CI). `ws` is one workspace for all of a test's examples.
SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _assert_only_spec_errors(text: str, filename: str) -> None:
    try:
        parse_text(text, filename)
    except SpecError as error:
        assert error.errors, "a SpecError must carry at least one diagnostic"
        lines = text.count("\n") + 2
        assert all(1 <= d.loc.line <= lines and d.loc.column >= 1 for d in error.errors)
        assert str(error)


@st.composite
def mutated(draw) -> str:
    tokens = list(draw(st.sampled_from(SEED_TOKENS)))
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert", "char", "truncate"]))
        if action == "delete":
            del tokens[i]
        elif action == "duplicate":
            tokens.insert(i, tokens[i])
        elif action == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif action == "replace":
            tokens[i] = draw(st.sampled_from(VOCABULARY))
        elif action == "insert":
            tokens.insert(i, draw(st.sampled_from(VOCABULARY)) + " ")
        elif action == "char":
            tokens.insert(i, draw(st.characters(codec="utf-8")))
        else:
            tokens = tokens[:i]
    return "".join(tokens)


@SETTINGS
@given(text=mutated())
def test_mutated_specs_raise_only_spec_errors(ws, text):
    _assert_only_spec_errors(text, str(ws.path()))


@SETTINGS
@given(text=st.lists(st.sampled_from(VOCABULARY + [" ", " ", "\n"]), max_size=60).map("".join))
def test_token_soup_raises_only_spec_errors(ws, text):
    _assert_only_spec_errors(text, str(ws.path()))


@SETTINGS
@given(text=st.text(max_size=200))
def test_random_text_raises_only_spec_errors(ws, text):
    _assert_only_spec_errors(text, str(ws.path()))


def test_seeds_are_valid(ws):
    """The fuzzer mutates valid specs (otherwise it only tests the first error)."""
    for text in SEEDS:
        assert parse_text(text, str(ws.path())).blocks
