"""Every literal and construct of the language, parsed into the typed Spec."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchrun.codegen.spec import BenchmarkSpec
from benchrun.grammar import SpecError, load_spec, parse_text
from benchrun.grammar.spec import SandboxSpec
from benchrun.tuning.no_improvement import NoImprovement
from benchrun.tuning.spec import AllOf, AnyOf, Compare, Distribution, ExecutorSpec, SplitSpec, TuneSpec, Values

SPECS = Path(__file__).resolve().parents[2] / "specs"


def bench(ws, body: str, before: str = "") -> BenchmarkSpec:
    spec = ws.parse(f'{before}\nbenchmark "b" {{\n  tasks "../tasks/demo/*"\n{body}\n}}\n')
    return spec.blocks[0]


def tune(ws, body: str, before: str = "", search: str = "grid { batch_size = [32] }") -> TuneSpec:
    text = f'{before}\ntune "t" {{\n  datasets [sklearn("iris")]\n  algorithms [svm]\n  {search}\n{body}\n}}\n'
    return ws.parse(text).blocks[0]


# ---------------------------------------------------------------- benchmark blocks


def test_benchmark_defaults(ws):
    block = bench(ws, "  models [oracle]")
    assert (block.samples, block.temperature, block.max_tokens, block.seed) == (1, 0.2, 1024, 0)
    assert block.scores == (1,) and block.concurrency == 2
    assert [s.name for s in block.strategies] == ["zero_shot"]
    assert block.sandbox == SandboxSpec(backend="docker")
    assert [t.kind for t in block.tasks] == ["folder"]
    assert [Path(p).name for p in block.tasks[0].paths] == ["t1", "t2", "t3"]


def test_every_benchmark_key(ws):
    block = bench(ws, """
  models      [local(), oracle, identity, openai("gpt-4o-mini", base_url = "http://127.0.0.1:9/v1", api_key_env = "KEY", timeout = 30s),
               vllm("Qwen/Qwen2.5-Coder-7B-Instruct", url = "http://127.0.0.1:8000/v1")]
  strategies  [zero_shot, tuned(), docprompt(docs = "dvc"), docprompt, retrieval(top_k = 3, docs = "api")]
  samples     5
  temperature 0.8
  max_tokens  2048
  seed        7
  score       [pass@5, pass@1]
  sandbox     local(timeout = 500ms, memory = 512MiB, cpus = 1.5, pids = 64, network = on, output = 1KiB, image = "img")
  concurrency 4
""")
    assert [m.name for m in block.models] == [
        "local", "oracle", "identity", "openai:gpt-4o-mini", "vllm:Qwen/Qwen2.5-Coder-7B-Instruct"]
    openai = block.models[3]
    assert openai.model == "gpt-4o-mini"
    assert dict(openai.options) == {"base_url": "http://127.0.0.1:9/v1", "api_key_env": "KEY", "timeout": 30.0}
    assert [s.label for s in block.strategies] == [
        "zero_shot", "tuned", "docprompt(docs='dvc')", "docprompt", "retrieval(docs='api', top_k=3)"]
    assert (block.samples, block.temperature, block.max_tokens, block.seed) == (5, 0.8, 2048, 7)
    assert block.scores == (1, 5) and block.concurrency == 4
    assert block.sandbox == SandboxSpec(
        backend="local", timeout_s=0.5, memory_bytes=512 * 2**20, cpus=1.5, pids=64, network=True,
        output_bytes=1024, image="img")


def test_local_model_file_and_single_values(ws):
    block = bench(ws, '  models local(model = "../data/model.gguf", threads = 2)\n  strategies tuned\n  score pass@1')
    (model,) = block.models
    assert model.name == "local:model.gguf"
    assert dict(model.options) == {"model": str(ws.root / "data" / "model.gguf"), "threads": 2}
    assert [s.name for s in block.strategies] == ["tuned"] and block.scores == (1,)


def test_task_sources_list_and_humaneval(ws):
    block = bench(ws, '  models [oracle]').tasks
    spec = ws.parse('benchmark "b" {\n  tasks ["../tasks/demo/t1", humaneval("../data/he.jsonl")]\n  models [oracle]\n}\n')
    tasks = spec.blocks[0].tasks
    assert [(t.kind, t.pattern) for t in tasks] == [("folder", "../tasks/demo/t1"), ("humaneval", "../data/he.jsonl")]
    assert tasks[1].paths == (str(ws.root / "data" / "he.jsonl"),)
    assert len(block[0].paths) == 3


def test_definitions_by_bare_name_and_use(ws):
    before = """
model gpt = openai("gpt-4o-mini")
model small = local()
sandbox strict = docker(timeout = 2m, memory = 1GiB, network = off)
"""
    block = bench(ws, "  models [gpt, oracle]\n  use small, strict", before)
    assert [m.name for m in block.models] == ["gpt", "oracle", "small"]
    assert block.models[0].model == "gpt-4o-mini"
    assert block.sandbox.timeout_s == 120.0
    block = bench(ws, "  use gpt\n  sandbox strict", before)
    assert [m.name for m in block.models] == ["gpt"] and block.sandbox.memory_bytes == 2**30


# ---------------------------------------------------------------- literals


@pytest.mark.parametrize(
    "literal, seconds",
    [("500ms", 0.5), ("60s", 60.0), ("2m", 120.0), ("1h", 3600.0), ("1.5s", 1.5)],
)
def test_durations(ws, literal, seconds):
    assert bench(ws, f"  models [oracle]\n  sandbox docker(timeout = {literal})").sandbox.timeout_s == seconds


@pytest.mark.parametrize(
    "literal, size",
    [("512MiB", 512 * 2**20), ("1GiB", 2**30), ("100MB", 10**8), ("1KiB", 1024), ("2KB", 2000), ("64B", 64)],
)
def test_sizes(ws, literal, size):
    assert bench(ws, f"  models [oracle]\n  sandbox docker(memory = {literal})").sandbox.memory_bytes == size


@pytest.mark.parametrize("literal, value", [("true", True), ("false", False), ("on", True), ("off", False)])
def test_booleans(ws, literal, value):
    assert bench(ws, f"  models [oracle]\n  sandbox docker(network = {literal})").sandbox.network is value


@pytest.mark.parametrize(
    "literal, values",
    [
        ("[1, 2, 3]", (1, 2, 3)),
        ("[1e-4, 1e-3, 0.5, 2.5E2]", (1e-4, 1e-3, 0.5, 250.0)),
        ("1 .. 4", (1, 2, 3, 4)),
        ("3 .. 3", (3,)),
        ("2 ** (1 .. 10)", tuple(2**e for e in range(1, 11))),
        ("10 ** (-4 .. -1)", (1e-4, 1e-3, 1e-2, 1e-1)),
        ("0.5 ** (0 .. 2)", (1.0, 0.5, 0.25)),
        ("7", (7,)),
        ("[\n    1,\n    2,   # a comment inside a list\n  ]", (1, 2)),
    ],
)
def test_value_lists(ws, literal, values):
    block = tune(ws, "", search=f"grid {{ alpha = {literal} }}")
    (param,) = block.search.space
    assert param.domain == Values(values)
    assert [type(v) for v in param.domain.values] == [type(v) for v in values]


def test_strings_with_escapes_and_negative_numbers(ws):
    block = bench(ws, '  models [openai("a \\"quoted\\" \\\\ name")]\n  seed 0')
    assert block.models[0].model == 'a "quoted" \\ name'
    assert tune(ws, "  stop when train_loss < -1.5").stop == Compare("train_loss", "<", -1.5, loc=None)


def test_comments_blank_lines_and_crlf(ws):
    text = '# top\r\n\r\nbenchmark "b" { # after brace\r\n  # own line\r\n\r\n  tasks "../tasks/demo/*"   # trailing\r\n  models [oracle]}'
    spec = parse_text(text, str(ws.path()))
    assert spec.blocks[0].models[0].name == "oracle"


# ---------------------------------------------------------------- tune blocks


def test_tune_defaults(ws):
    block = tune(ws, "")
    assert block.split == SplitSpec() and block.epochs == 1 and block.evaluate_every == 100
    assert block.stop is None and block.executor == ExecutorSpec() and block.seed == 0
    assert (block.metric, block.mode) == ("val_loss", "min")
    assert dict(block.datasets[0].options) == {"task": "classification"}


def test_every_tune_key(ws):
    before = 'dataset big = synthetic(rows = 5000, features = 8, task = classification, classes = 3, noise = 0.5, seed = 1)'
    block = tune(ws, """
  split       test = 0.25, cv = 5
  epochs      3
  evaluate    every 50 steps
  stop        when memory_mb > 512MiB or step_time_ms >= 2s
  stop        when no_improvement(val_loss, evaluations = 3, min_delta = 0.01) and epoch > 1
  executor    ray(cpus_per_trial = 0.5, address = "auto", max_concurrent = 2)
  seed        42
  metric      accuracy
  use         big
""", before)
    assert block.split == SplitSpec(test=0.25, cv=5)
    assert (block.epochs, block.evaluate_every, block.seed) == (3, 50, 42)
    assert (block.metric, block.mode) == ("accuracy", "max")  # accuracy is maximised unless told
    assert block.executor == ExecutorSpec("ray", (("address", "auto"), ("cpus_per_trial", 0.5), ("max_concurrent", 2)))
    assert block.stop == AnyOf((
        AnyOf((Compare("memory_mb", ">", 512.0, None), Compare("step_time_ms", ">=", 2000.0, None))),
        AllOf((NoImprovement("val_loss", 3, 0.01, None), Compare("epoch", ">", 1.0, None))),
    ))
    big = block.datasets[1]
    assert (big.kind, big.name) == ("synthetic", "big")
    assert dict(big.options) == {"rows": 5000, "features": 8, "task": "classification", "classes": 3, "noise": 0.5, "seed": 1}


def test_stop_precedence_and_parentheses(ws):
    a, b, c = (Compare("step", ">", v, None) for v in (1.0, 2.0, 3.0))
    assert tune(ws, "  stop when step > 1 or step > 2 and step > 3").stop == AnyOf((a, AllOf((b, c))))
    assert tune(ws, "  stop when (step > 1 or step > 2) and step > 3").stop == AllOf((AnyOf((a, b)), c))


def test_unit_conversion_for_metrics(ws):
    assert tune(ws, "  stop when wall_time_s > 5m").stop.value == 300.0
    assert tune(ws, "  stop when step_time_ms > 1s").stop.value == 1000.0
    assert tune(ws, "  stop when memory_mb > 1GiB").stop.value == 1024.0


def test_datasets_of_every_kind(ws):
    block = ws.parse("""
tune "t" {
  datasets [pmlb("529_pollen"), sklearn("diabetes"), csv("../data/table.csv", target = "y"),
            parquet("../data/frame.parquet", target = "y", task = regression), synthetic(rows = 100, features = 4)]
  algorithms [linear_regression]
  metric val_loss max
  grid { learning_rate = [0.1] }
}
""").blocks[0]
    got = {(d.kind, d.name): dict(d.options) for d in block.datasets}
    assert got == {
        ("pmlb", "529_pollen"): {"task": "regression"},
        ("sklearn", "diabetes"): {"task": "regression"},
        ("csv", "table"): {"path": str(ws.root / "data" / "table.csv"), "target": "y"},
        ("parquet", "frame"): {"path": str(ws.root / "data" / "frame.parquet"), "target": "y", "task": "regression"},
        ("synthetic", "synthetic_100x4"): {"rows": 100, "features": 4, "task": "regression"},
    }
    assert block.mode == "max"


def test_defined_dataset_keeps_its_source_name(ws):
    block = tune(ws, "  use pollen", before='dataset pollen = pmlb("529_pollen")')
    pollen = block.datasets[1]
    assert pollen.name == "pollen" and dict(pollen.options) == {"name": "529_pollen", "task": "regression"}


def test_random_and_optuna_search(ws):
    block = tune(ws, "", search="""random(samples = 20) {
    batch_size = randint(8, 64)
    learning_rate = loguniform(1e-4, 1e-1)
    alpha = uniform(0, 0.01)
  }""")
    search = block.search
    assert (search.method, search.samples) == ("random", 20)
    assert [p.domain for p in search.space] == [
        Distribution("randint", (8, 64)), Distribution("loguniform", (1e-4, 1e-1)), Distribution("uniform", (0.0, 0.01))]
    search = tune(ws, "", search="optuna(samples = 5, sampler = tpe) { batch_size = choice([16, 32]) alpha = [0.1, 0.2] }"
                  .replace(" alpha", "\n alpha")).search
    assert (search.method, search.samples, search.options) == ("optuna", 5, (("sampler", "tpe"),))
    assert search.space[0].domain == Distribution("choice", ((16, 32),))
    assert search.space[1].domain == Values((0.1, 0.2))


# ---------------------------------------------------------------- files, errors, the example specs


def test_all_errors_of_a_file_are_reported_together(ws):
    errors = ws.errors("""
benchmark "b" {
  tasks "../tasks/nothing/*"
  models [oracel]
  samples 2.5
  sandbox docker(timeout = 1GiB)
}
tune "t" {
  datasets [sklearn("irsi")]
  algorithms [svm, svn]
  grid { batch_size = 5 .. 1 }
  stop when memroy_mb > 5
}
""")
    assert [(e.loc.line, e.loc.column) for e in errors] == [(3, 9), (4, 11), (5, 11), (6, 28), (9, 21), (10, 20), (11, 23), (12, 13)]


def test_error_text_has_location_source_line_and_caret(ws):
    with pytest.raises(SpecError) as caught:
        parse_text('tune "t" {\n  datasets [sklearn("iris")]\n  algorithms [svm]\n\tgird { alpha = [1] }\n}\n', "specs/x.bench")
    assert str(caught.value) == (
        "specs/x.bench:4:2: error: unknown search method 'gird' (did you mean 'grid'?); searches: grid, random, optuna, llm\n"
        "    4 | \tgird { alpha = [1] }\n"
        "      | \t^"
    )


def test_load_spec_file_problems(tmp_path):
    cases = {"missing.bench": None, "folder.bench": "dir", "latin1.bench": b'# caf\xe9\n'}
    messages = []
    for name, content in cases.items():
        path = tmp_path / name
        if content == "dir":
            path.mkdir()
        elif content is not None:
            path.write_bytes(content)
        with pytest.raises(SpecError) as caught:
            load_spec(path)
        messages.append(caught.value.errors[0].message)
    assert messages == ["no such file", "this is a folder, not a .bench file", "the file is not UTF-8 text"]


def test_spec_identity(ws):
    text = 'benchmark "b" {\n  tasks "../tasks/demo/*"\n  models [oracle]\n}\n'
    first, second = ws.parse(text), ws.parse(text + "# a comment changes the hash, not the blocks\n")
    assert first.path == str(ws.path()) and first.source == text
    assert first.content_hash != second.content_hash and first.blocks == second.blocks


@pytest.mark.parametrize("name", ["tuning.bench", "tuning-quick.bench"])
def test_example_tuning_specs_are_valid(name):
    spec = load_spec(SPECS / name)
    assert spec.blocks and all(b.kind == "tune" for b in spec.blocks)


@pytest.mark.parametrize("name", ["translation.bench", "inlining.bench"])
def test_example_benchmark_specs_are_valid_against_task_folders(ws, tmp_path, name):
    """The benchmark specs point at ../tasks/<suite>/*; give them a workspace that has it."""
    text = (SPECS / name).read_text()
    suite = "translation" if name == "translation.bench" else "inlining"
    from spec_fixtures import make_task

    for task in ("one", "two"):
        make_task(tmp_path, suite, task)
    (tmp_path / "specs").mkdir()
    block = parse_text(text, str(tmp_path / "specs" / name)).blocks[0]
    assert [m.name for m in block.models] == ["local", "oracle", "identity"]
    assert block.scores == (1, 3) and block.samples == 3 and len(block.tasks[0].paths) == 2


def test_the_study_design_checks_and_plans_over_the_shipped_corpus():
    """specs/patel.bench: two real models (no key or GPU needed to plan), four strategies,
    both instruction levels, pass@3 over every task of the study's five functionalities
    (tasks/inlining and tasks/translation)."""
    from benchrun.engine.plan import build_plan

    block = load_spec(SPECS / "patel.bench").blocks[0]
    assert [m.name for m in block.models] == ["gpt35", "wizardcoder", "oracle", "identity"]
    assert [m.kind for m in block.models[:2]] == ["openai", "vllm"]
    assert block.levels == ("brief", "detailed") and block.samples == 3 and 3 in block.scores
    assert [s.name for s in block.strategies] == ["zero_shot", "tuned", "docprompt", "retrieval"]
    units = build_plan(load_spec(SPECS / "patel.bench")).by_kind("codegen")
    tasks = {u.params["task"] for u in units}
    study = [p for suite in ("inlining", "translation") for p in (SPECS.parent / "tasks" / suite).rglob("task.toml")]
    assert len(tasks) == len(study)
    assert len(units) == len(tasks) * 4 * 4 * 2 * 3
